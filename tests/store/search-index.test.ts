import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteMigrations } from '../../src/store/sqlite/schema.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { IndexQuery, NewItem, Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { term, wordsQuery } from './index-query.js';

function item(key: string, title: string, body = '', publishedAt: string | null = null): NewItem {
  return { key, headline: title, link: `https://example.com/${key}`, publishedAt, searchTitle: title, searchBody: body, bodyText: body, textVersion: 7 };
}

const headlines = async (store: Store, query: IndexQuery, limit = 10, offset = 0) =>
  (await store.searchItems(query, { limit, offset })).map((hit) => hit.headline);

describe('searching the SQLite index', () => {
  let store: Store;
  let sourceA: number;
  let sourceB: number;

  beforeEach(async () => {
    store = createSqliteStore(path.join(makeTempDir(), 'i.sqlite'));
    sourceA = (await store.addSource({ url: 'a', feedUrl: 'a', title: 'A' })).source.id;
    sourceB = (await store.addSource({ url: 'b', feedUrl: 'b', title: 'B' })).source.id;
    await store.recordItems(sourceA, [
      item('1', 'convoy reaches idlib', 'trucks crossed the border', '2026-01-05T10:00:00.000Z'),
      item('2', 'market news', 'a convoy was seen near the market', '2026-01-20T10:00:00.000Z'),
      item('3', 'روسيا تقر بخسائرها خسائر', 'في معارك ادلب', '2026-02-03T10:00:00.000Z'),
    ]);
    await store.recordItems(sourceB, [
      item('4', 'convoy stopped', 'at the checkpoint', '2026-02-10T10:00:00.000Z'),
      item('5', 'convoy stopped', 'at the checkpoint', '2026-02-11T10:00:00.000Z'),
    ]);
  });
  afterEach(async () => {
    await store.close();
  });

  it('ranks a match in the title above one in the body, and the newest first among equals', async () => {
    const found = await headlines(store, wordsQuery('convoy'));
    expect(found).toEqual(['convoy stopped', 'convoy stopped', 'convoy reaches idlib', 'market news']);
    const [newer, older] = await store.searchItems(wordsQuery('convoy'), { limit: 2 });
    expect(newer!.publishedAt! > older!.publishedAt!).toBe(true);
  });

  it('pages with a limit and an offset', async () => {
    expect(await headlines(store, wordsQuery('convoy'), 2, 2)).toEqual(['convoy reaches idlib', 'market news']);
    expect(await headlines(store, wordsQuery('convoy'), 2, 4)).toEqual([]);
  });

  it('matches a term by its stem as well as its surface form', async () => {
    expect(await headlines(store, { terms: [term('بخسائرها', 'خسائر')], phrases: [], excluded: [] })).toEqual(['روسيا تقر بخسائرها خسائر']);
    expect(await headlines(store, { terms: [term('وخسائر', 'خسائر')], phrases: [], excluded: [] })).toEqual(['روسيا تقر بخسائرها خسائر']);
  });

  it('matches a phrase only when its words follow one another', async () => {
    const phrase = (...words: string[]): IndexQuery => ({ terms: [], phrases: [words.map((w) => term(w))], excluded: [] });
    expect(await headlines(store, phrase('convoy', 'reaches'))).toEqual(['convoy reaches idlib']);
    expect(await headlines(store, phrase('reaches', 'convoy'))).toEqual([]);
  });

  it('leaves out items with an excluded word, also when only exclusions and a filter are given', async () => {
    expect(await headlines(store, { ...wordsQuery('convoy'), excluded: [[term('checkpoint')], [term('market')]] })).toEqual(['convoy reaches idlib']);
    expect(await headlines(store, { ...wordsQuery(), sourceId: sourceA, excluded: [[term('market')]] })).toEqual([
      'روسيا تقر بخسائرها خسائر',
      'convoy reaches idlib',
    ]);
  });

  it('filters by source and by a date range', async () => {
    expect(await headlines(store, { ...wordsQuery('convoy'), sourceId: sourceA })).toEqual(['convoy reaches idlib', 'market news']);
    expect(await headlines(store, { ...wordsQuery('convoy'), after: new Date('2026-01-10'), before: new Date('2026-02-11') })).toEqual([
      'convoy stopped',
      'market news',
    ]);
    expect(await headlines(store, { ...wordsQuery(), sourceId: 999 })).toEqual([]);
  });

  it('returns the kept body text with each hit, for its snippet', async () => {
    const [hit] = await store.searchItems(wordsQuery('idlib'), { limit: 1 });
    expect(hit?.bodyText).toBe('trucks crossed the border');
  });

  it('keeps learned signature lines per source and hands back the newest kept texts', async () => {
    expect(await store.getSourceSignatures(sourceA)).toEqual([]);
    await store.setSourceSignatures(sourceA, ['مدونة فلان', 'تابعونا']);
    expect(await store.getSourceSignatures(sourceA)).toEqual(['مدونة فلان', 'تابعونا']);
    expect(await store.getSourceSignatures(sourceB)).toEqual([]);
    expect(await store.recentBodyTexts(sourceA, 2)).toEqual(['في معارك ادلب', 'a convoy was seen near the market']);
  });
});

describe('rebuilding the SQLite index', () => {
  let file: string;
  let store: Store;
  let source: number;

  beforeEach(async () => {
    file = path.join(makeTempDir(), 'r.sqlite');
    store = createSqliteStore(file);
    source = (await store.addSource({ url: 'a', feedUrl: 'a', title: 'A' })).source.id;
    await store.recordItems(source, [item('1', 'old one', 'body one'), item('2', 'old two', 'body two')]);
  });
  afterEach(async () => {
    await store.close();
  });

  it('fills a new index beside the live one, which answers until the swap', async () => {
    expect(await store.getIndexState()).toEqual({ version: 1, rebuild: null });
    const rebuild = await store.beginIndexRebuild(5);
    expect(rebuild).toEqual({ version: 5, untilId: 2, doneUntilId: 0 });
    const texts = await store.listItemTexts(0, rebuild.untilId, 10);
    expect(texts.map((t) => [t.id, t.headline, t.bodyText])).toEqual([[1, 'old one', 'body one'], [2, 'old two', 'body two']]);
    await store.writeIndexBatch(texts.map((t) => ({ id: t.id, title: `new${t.id}`, body: '' })), 2);
    // Still the old index until the swap.
    expect(await headlines(store, wordsQuery('old'))).toHaveLength(2);
    expect(await headlines(store, wordsQuery('new1'))).toEqual([]);
    // An item recorded meanwhile reaches both indexes.
    await store.recordItems(source, [item('3', 'fresh three')]);
    expect(await headlines(store, wordsQuery('fresh'))).toEqual(['fresh three']);
    await store.finishIndexRebuild();
    expect(await store.getIndexState()).toEqual({ version: 5, rebuild: null });
    expect(await headlines(store, wordsQuery('new1'))).toEqual(['old one']);
    expect(await headlines(store, wordsQuery('old'))).toEqual([]);
    expect(await headlines(store, wordsQuery('fresh'))).toEqual(['fresh three']);
    // Items recorded after the swap go to the (renamed) live index.
    await store.recordItems(source, [item('4', 'later four')]);
    expect(await headlines(store, wordsQuery('later'))).toEqual(['later four']);
  });

  it('resumes a rebuild after a reopen, where it stopped', async () => {
    await store.beginIndexRebuild(5);
    await store.writeIndexBatch([{ id: 1, title: 'new1', body: '' }], 1);
    await store.close();
    store = createSqliteStore(file);
    expect(await store.getIndexState()).toEqual({ version: 1, rebuild: { version: 5, untilId: 2, doneUntilId: 1 } });
    expect(await store.beginIndexRebuild(5)).toEqual({ version: 5, untilId: 2, doneUntilId: 1 });
    expect(await store.countItemTexts(1, 2)).toEqual({ items: 1, withoutBody: 0 });
    await store.writeIndexBatch([{ id: 2, title: 'new2', body: '' }], 2);
    await store.finishIndexRebuild();
    expect(await headlines(store, wordsQuery('new1'))).toEqual(['old one']);
    expect(await headlines(store, wordsQuery('new2'))).toEqual(['old two']);
  });

  it('starts over when a rebuild for another version was under way', async () => {
    await store.beginIndexRebuild(5);
    await store.writeIndexBatch([{ id: 1, title: 'stale', body: '' }], 1);
    expect(await store.beginIndexRebuild(6)).toEqual({ version: 6, untilId: 2, doneUntilId: 0 });
    await store.writeIndexBatch([{ id: 1, title: 'six', body: '' }, { id: 2, title: 'six', body: '' }], 2);
    await store.finishIndexRebuild();
    expect(await headlines(store, wordsQuery('stale'))).toEqual([]);
    expect(await headlines(store, wordsQuery('six'))).toHaveLength(2);
  });

  it('leaves a removed source’s items out of the new index, even from a batch read before the removal', async () => {
    const rebuild = await store.beginIndexRebuild(5);
    const texts = await store.listItemTexts(0, rebuild.untilId, 10);
    await store.removeSource(source);
    await store.writeIndexBatch(texts.map((t) => ({ id: t.id, title: 'ghost', body: '' })), 2);
    await store.finishIndexRebuild();
    // A new item may reuse a removed id: it must be found by its own words only.
    const other = (await store.addSource({ url: 'b', feedUrl: 'b', title: 'B' })).source.id;
    await store.recordItems(other, [item('x', 'reborn')]);
    expect(await headlines(store, wordsQuery('ghost'))).toEqual([]);
    expect(await headlines(store, wordsQuery('reborn'))).toEqual(['reborn']);
  });

  it('indexes an item once when it is written both by a poll and by a batch', async () => {
    const rebuild = await store.beginIndexRebuild(5);
    await store.recordItems(source, [item('3', 'twice')]);
    // Id 3 is past untilId, but a batch that includes it anyway must not double it.
    await store.writeIndexBatch([{ id: 3, title: 'twice', body: '' }], rebuild.untilId);
    await store.finishIndexRebuild();
    expect(await headlines(store, wordsQuery('twice'))).toEqual(['twice']);
  });
});

describe('opening a store made before issue 12', () => {
  it('migrates it: old items have no body text, and the index says it was built by the old rules', async () => {
    const file = path.join(makeTempDir(), 'old.sqlite');
    const db = new Database(file);
    for (const migration of sqliteMigrations.slice(0, 2)) db.exec(migration);
    db.pragma('user_version = 2');
    db.prepare(`INSERT INTO sources (id, url, feed_url, title, added_at) VALUES (1, 'u', 'u', 'S', '2025-01-01')`).run();
    db.prepare(`INSERT INTO items (id, source_id, key, headline, link, published_at, first_seen_at) VALUES (1, 1, 'k', 'خسائر فادحة', 'https://x.example/1', NULL, '2025-01-01')`).run();
    db.prepare(`INSERT INTO items_fts (rowid, title, body) VALUES (1, 'خسائر فادحه', 'معارك ادلب')`).run();
    db.close();

    const store = createSqliteStore(file);
    try {
      expect(await store.getIndexState()).toEqual({ version: 1, rebuild: null });
      expect(await headlines(store, wordsQuery('ادلب'))).toEqual(['خسائر فادحة']);
      expect(await store.listItemTexts(0, 10, 10)).toEqual([{ id: 1, sourceId: 1, headline: 'خسائر فادحة', bodyText: null }]);
      expect(await store.countItemTexts(0, 10)).toEqual({ items: 1, withoutBody: 1 });
      expect(await store.getSourceSignatures(1)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
