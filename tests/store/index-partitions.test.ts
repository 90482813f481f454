import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteMigrations } from '../../src/store/sqlite/schema.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { IndexQuery, NewItem, Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { term, wordsQuery } from './index-query.js';

/** Items of one day each, in id order, so recency and id order agree as they do in a real archive. */
function item(n: number, title: string, body = ''): NewItem {
  const publishedAt = new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();
  return { key: `k${n}`, headline: title, link: `https://example.com/${n}`, publishedAt, searchTitle: title, searchBody: body, bodyText: body, textVersion: 7 };
}

const links = async (store: Store, query: IndexQuery, limit = 20, offset = 0) =>
  (await store.searchItems(query, { limit, offset })).map((hit) => Number(hit.link!.split('/').pop()));

/** The live partitions a store file has, as [n, first_id], and the FTS5 tables that exist. */
function layoutOf(file: string): { live: number[][]; next: number[][]; tables: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare(`SELECT layout, n, first_id FROM search_partitions ORDER BY layout, n`).all() as Array<{ layout: string; n: number; first_id: number }>;
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`).all() as Array<{ name: string }>).map((row) => row.name);
    return {
      live: rows.filter((row) => row.layout === 'live').map((row) => [row.n, row.first_id]),
      next: rows.filter((row) => row.layout === 'next').map((row) => [row.n, row.first_id]),
      tables,
    };
  } finally {
    db.close();
  }
}

describe('the search index split into partitions by item id', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  /** A store with partitions of 3 items and ten items 1..10: "common" in all, "rare" in 1 and 9. */
  async function tenItems(file = path.join(makeTempDir(), 'p.sqlite')) {
    const store = createSqliteStore(file, { indexPartitionSize: 3 });
    stores.push(store);
    const a = (await store.addSource({ url: 'a', feedUrl: 'a', title: 'A' })).source.id;
    const b = (await store.addSource({ url: 'b', feedUrl: 'b', title: 'B' })).source.id;
    for (let n = 1; n <= 10; n++) {
      const title = n === 1 || n === 9 ? `common rare ${n}` : `common story ${n}`;
      // Source B has items 2 and 3 only, both in old partitions.
      await store.recordItems(n === 2 || n === 3 ? b : a, [item(n, title)]);
    }
    return { store, file, a, b };
  }

  it('starts a new partition when the newest is full', async () => {
    const { file, store } = await tenItems();
    await store.close();
    expect(layoutOf(file)).toEqual({
      live: [[0, 0], [1, 4], [2, 7], [3, 10]],
      next: [],
      tables: ['items_fts_p0', 'items_fts_p1', 'items_fts_p2', 'items_fts_p3'],
    });
  });

  it('forgets a partition made by a batch that failed, and makes it again with the next batch', async () => {
    const file = path.join(makeTempDir(), 'f.sqlite');
    const store = createSqliteStore(file, { indexPartitionSize: 3 });
    stores.push(store);
    const a = (await store.addSource({ url: 'a', feedUrl: 'a', title: 'A' })).source.id;
    await store.recordItems(a, [item(1, 'first'), item(2, 'second'), item(3, 'third')]);
    // Item 4 starts partition 1, then the batch fails on an item without a headline: all rolled back.
    const broken = { ...item(5, 'broken'), headline: null as unknown as string };
    await expect(store.recordItems(a, [item(4, 'fourth'), broken])).rejects.toThrow();
    await store.recordItems(a, [item(4, 'fourth again')]);
    expect(await links(store, wordsQuery('fourth'))).toEqual([4]);
    await store.close();
    expect(layoutOf(file).live).toEqual([[0, 0], [1, 4]]);
  });

  it('rebuilds into new partitions of full size, with items recorded meanwhile, and swaps them in', async () => {
    const { store, file, a } = await tenItems();
    const rebuild = await store.beginIndexRebuild(9);
    expect(rebuild).toEqual({ version: 9, untilId: 10, doneUntilId: 0 });
    // Items recorded during the rebuild fill the new newest partition and start the next one.
    for (let n = 11; n <= 13; n++) await store.recordItems(a, [item(n, `common late ${n}`)]);
    const texts = await store.listItemTexts(0, rebuild.untilId, 100);
    for (const text of texts) await store.writeIndexBatch([{ id: text.id, title: `rebuilt ${text.id}`, body: '' }], text.id);
    // The live index answers until the swap.
    expect(await links(store, wordsQuery('rebuilt'))).toEqual([]);
    expect(await links(store, wordsQuery('late'))).toEqual([13, 12, 11]);
    await store.finishIndexRebuild();
    expect(await links(store, wordsQuery('rebuilt'))).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(await links(store, wordsQuery('late'))).toEqual([13, 12, 11]);
    expect(await links(store, wordsQuery('story'))).toEqual([]);
    await store.recordItems(a, [item(14, 'after swap')]);
    expect(await links(store, wordsQuery('swap'))).toEqual([14]);
    await store.close();
    const layout = layoutOf(file);
    expect(layout.live).toEqual([[0, 0], [1, 4], [2, 7], [3, 10], [4, 13]]);
    expect(layout.next).toEqual([]);
    expect(layout.tables).toEqual(['items_fts_p0', 'items_fts_p1', 'items_fts_p2', 'items_fts_p3', 'items_fts_p4']);
  });

  it('drops the partitions of an abandoned rebuild when another version starts over', async () => {
    const { store, file } = await tenItems();
    await store.beginIndexRebuild(9);
    await store.writeIndexBatch([{ id: 1, title: 'stale', body: '' }], 1);
    await store.beginIndexRebuild(10);
    await store.writeIndexBatch([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((id) => ({ id, title: 'ten', body: '' })), 10);
    await store.finishIndexRebuild();
    expect(await links(store, wordsQuery('stale'))).toEqual([]);
    expect(await links(store, wordsQuery('ten'))).toHaveLength(10);
    await store.close();
    expect(layoutOf(file).tables).toEqual(['items_fts_p0', 'items_fts_p1', 'items_fts_p2', 'items_fts_p3']);
  });
});

describe('opening a store made before the index was partitioned', () => {
  it('keeps its single index as partition 0 and starts partition 1 when that is full', async () => {
    const file = path.join(makeTempDir(), 'old.sqlite');
    const db = new Database(file);
    for (const migration of sqliteMigrations.slice(0, 4)) db.exec(migration);
    db.pragma('user_version = 4');
    db.prepare(`INSERT INTO sources (id, url, feed_url, title, added_at) VALUES (1, 'u', 'u', 'S', '2025-01-01')`).run();
    const insertItem = db.prepare(`INSERT INTO items (id, source_id, key, headline, link, first_seen_at) VALUES (?, 1, ?, ?, ?, '2025-01-01')`);
    const insertFts = db.prepare(`INSERT INTO items_fts (rowid, title, body) VALUES (?, ?, '')`);
    for (let id = 1; id <= 4; id++) {
      insertItem.run(id, `k${id}`, `old ${id}`, `https://example.com/${id}`);
      insertFts.run(id, `old ${id}`);
    }
    db.close();

    const store = createSqliteStore(file, { indexPartitionSize: 3 });
    try {
      // Not larger than one partition of the default size: no rebuild is asked for.
      expect(await store.getIndexState()).toEqual({ version: 1, rebuild: null });
      expect(await links(store, wordsQuery('old'))).toHaveLength(4);
      // Partition 0 holds 4 items already: the next item starts partition 1.
      await store.recordItems(1, [item(5, 'old and new')]);
      expect((await links(store, wordsQuery('old'))).sort()).toEqual([1, 2, 3, 4, 5]);
      await store.removeSource(1);
      expect(await links(store, wordsQuery('old'))).toEqual([]);
    } finally {
      await store.close();
    }
    expect(layoutOf(file)).toEqual({ live: [[0, 0], [1, 5]], next: [], tables: ['items_fts_p0', 'items_fts_p1'] });
  });

  it('asks for a rebuild of an archive larger than one partition, which the app runs at its next start', async () => {
    const file = path.join(makeTempDir(), 'large.sqlite');
    const db = new Database(file);
    for (const migration of sqliteMigrations.slice(0, 4)) db.exec(migration);
    db.pragma('user_version = 4');
    db.prepare(`INSERT INTO sources (id, url, feed_url, title, added_at) VALUES (1, 'u', 'u', 'S', '2025-01-01')`).run();
    const insertItem = db.prepare(`INSERT INTO items (source_id, key, headline, first_seen_at) VALUES (1, ?, 'h', '2025-01-01')`);
    db.transaction(() => {
      for (let n = 0; n <= 100_000; n++) insertItem.run(`k${n}`);
    })();
    db.close();

    const store = createSqliteStore(file);
    try {
      expect(await store.getIndexState()).toEqual({ version: 0, rebuild: null });
    } finally {
      await store.close();
    }
  });
});
