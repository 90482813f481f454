import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IndexQuery, NewItem, Store } from '../../../src/store/store.js';
import { term, wordsQuery } from '../index-query.js';
import { item as plainItem, storePerTest, type StoreBackend } from './backend.js';

function item(key: string, title: string, body = '', publishedAt: string | null = null): NewItem {
  return { key, headline: title, link: `https://example.com/${key}`, publishedAt, searchTitle: title, searchBody: body, bodyText: body, textVersion: 7 };
}

const headlines = async (store: Store, query: IndexQuery, limit = 10, offset = 0) =>
  (await store.searchItems(query, { limit, offset })).map((hit) => hit.headline);

/** Items of one day each, in id order, so recency and id order agree as they do in a real archive. */
function dayItem(n: number, title: string, body = ''): NewItem {
  const publishedAt = new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();
  return { key: `k${n}`, headline: title, link: `https://example.com/${n}`, publishedAt, searchTitle: title, searchBody: body, bodyText: body, textVersion: 7 };
}

const links = async (store: Store, query: IndexQuery, limit = 20, offset = 0) =>
  (await store.searchItems(query, { limit, offset })).map((hit) => Number(hit.link!.split('/').pop()));

/** Searching the index, and rebuilding it beside the live one. */
export function describeSearch(backend: StoreBackend): void {
  describe('searching', () => {
    const opened = storePerTest(backend);
    let store: Store;
    let sourceA: number;
    let sourceB: number;

    beforeEach(async () => {
      store = await opened.open();
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
    afterEach(() => opened.close());

    it('ranks a match in the title above one in the body, and the newest first among equals', async () => {
      const found = await headlines(store, wordsQuery('convoy'));
      expect(found).toEqual(['convoy stopped', 'convoy stopped', 'convoy reaches idlib', 'market news']);
      const [newer, older] = await store.searchItems(wordsQuery('convoy'), { limit: 2 });
      expect(newer!.publishedAt! > older!.publishedAt!).toBe(true);
    });

    it('pages with a limit and an offset', async () => {
      expect(await headlines(store, wordsQuery('convoy'), 2, 2)).toEqual(['convoy reaches idlib', 'market news']);
      expect(await headlines(store, wordsQuery('convoy'), 2, 4)).toEqual([]);
      expect(await headlines(store, wordsQuery('convoy'), 0)).toEqual([]);
    });

    it('matches a term by its stem as well as its surface form', async () => {
      expect(await headlines(store, { terms: [term('بخسائرها', 'خسائر')], phrases: [], excluded: [] })).toEqual(['روسيا تقر بخسائرها خسائر']);
      expect(await headlines(store, { terms: [term('وخسائر', 'خسائر')], phrases: [], excluded: [] })).toEqual(['روسيا تقر بخسائرها خسائر']);
    });

    it('matches a phrase only when its words follow one another', async () => {
      const phrase = (...words: string[]): IndexQuery => ({ terms: [], phrases: [words.map((w) => term(w))], excluded: [] });
      expect(await headlines(store, phrase('convoy', 'reaches'))).toEqual(['convoy reaches idlib']);
      expect(await headlines(store, phrase('reaches', 'convoy'))).toEqual([]);
      // The title's last word and the body's first are not one after the other.
      expect(await headlines(store, phrase('idlib', 'trucks'))).toEqual([]);
      expect(await headlines(store, phrase('trucks', 'crossed'))).toEqual(['convoy reaches idlib']);
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

  describe('searching what a user typed', () => {
    const opened = storePerTest(backend);
    let store: Store;
    beforeEach(async () => {
      store = await opened.open();
    });
    afterEach(() => opened.close());

    it('searches by quoted words and prefixes, so query syntax in a query is only text', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      await store.recordItems(source.id, [
        plainItem('1', 'خسائر فادحة', 'معارك كبيرة'),
        plainItem('2', 'NEAR AND OR', 'plain words'),
        plainItem('3', 'other', 'nothing'),
      ]);
      expect((await store.searchItems(wordsQuery('خسائر'), { limit: 5 })).map((i) => i.headline)).toEqual(['خسائر فادحة']);
      expect((await store.searchItems(wordsQuery('معار'), { limit: 5 })).map((i) => i.headline)).toEqual(['خسائر فادحة']);
      for (const hostile of [['near('], ['"'], ['and'], ['*'], ['^x'], ['a"b'], ['x'.repeat(3000)], ["it's"], ['a\\b'], ['!'], ['<->'], ['a:*'], ['&|']]) {
        await expect(store.searchItems(wordsQuery(...hostile), { limit: 5 })).resolves.toBeInstanceOf(Array);
        await expect(store.searchItems({ ...wordsQuery('near'), excluded: [hostile.map((word) => term(word))] }, { limit: 5 })).resolves.toBeInstanceOf(Array);
      }
      expect((await store.searchItems(wordsQuery('near', 'and'), { limit: 5 })).map((i) => i.headline)).toEqual(['NEAR AND OR']);
      // No words: the newest items, as a listing by filters alone.
      expect((await store.searchItems(wordsQuery(), { limit: 5 })).map((i) => i.headline)).toEqual(['other', 'NEAR AND OR', 'خسائر فادحة']);
    });

    it('finds a word holding a quote or a backslash as the words around them', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      await store.recordItems(source.id, [plainItem('1', "it's a\\b day"), plainItem('2', 'its ab day')]);
      expect(await headlines(store, wordsQuery("it's"))).toEqual(["it's a\\b day"]);
      expect(await headlines(store, wordsQuery('a\\b'))).toEqual(["it's a\\b day"]);
      // A word with no letter or digit matches nothing (nothing is indexed for it).
      expect(await headlines(store, wordsQuery('"'))).toEqual([]);
      expect(await headlines(store, wordsQuery('day', '*'))).toEqual([]);
    });

    it('ranks only the newest matches of a very common word (2,000 per SQLite partition, 500 on PostgreSQL), so its cost does not grow with the archive', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      const items: NewItem[] = Array.from({ length: 2100 }, (_, i) => ({
        ...plainItem(`k${i}`, i === 5 ? 'common common common' : `common ${i}`),
        // The oldest item is the best match by rank (the word three times in a short title).
        searchTitle: i === 5 ? 'common common common' : `common n${i}`,
      }));
      await store.recordItems(source.id, items);
      const hits = await store.searchItems({ terms: [{ surface: 'common', stem: 'common', prefix: false }], phrases: [], excluded: [] }, { limit: 3, offset: 0 });
      expect(hits).toHaveLength(3);
      // Item 5 is older than the newest 2,000 matches: it is not ranked, the newest ones are.
      // (Where the run is shorter, the first page still comes from the newest matches.)
      expect(hits.map((hit) => hit.headline)).not.toContain('common common common');
    });
  });

  describe('an archive searched newest first', () => {
    // SQLite splits its index into partitions of 3 items here, so these walk several of them.
    const opened = storePerTest(backend, { indexPartitionSize: 3 });
    afterEach(() => opened.close());

    /** Ten items 1..10: "common" in all, "rare" in 1 and 9; source B has items 2 and 3 only. */
    async function tenItems() {
      const store = await opened.open();
      const a = (await store.addSource({ url: 'a', feedUrl: 'a', title: 'A' })).source.id;
      const b = (await store.addSource({ url: 'b', feedUrl: 'b', title: 'B' })).source.id;
      for (let n = 1; n <= 10; n++) {
        const title = n === 1 || n === 9 ? `common rare ${n}` : `common story ${n}`;
        await store.recordItems(n === 2 || n === 3 ? b : a, [dayItem(n, title)]);
      }
      return { store, a, b };
    }

    it('answers a common word from the newest items first, reading older ones only to fill the page', async () => {
      const { store } = await tenItems();
      expect(await links(store, wordsQuery('common'), 3)).toEqual([10, 9, 8]);
      expect(await links(store, wordsQuery('common'), 20)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    });

    it('finds a rare word in the oldest items as well as in the newest', async () => {
      const { store } = await tenItems();
      expect(await links(store, wordsQuery('rare'))).toEqual([9, 1]);
      expect(await links(store, wordsQuery('rare'), 1, 1)).toEqual([1]);
    });

    it('pages through the whole archive without repeating or skipping a result', async () => {
      const { store } = await tenItems();
      const pages: number[] = [];
      for (let offset = 0; offset < 12; offset += 4) pages.push(...(await links(store, wordsQuery('common'), 4, offset)));
      expect(pages).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    });

    it('applies a source filter across the archive', async () => {
      const { store, b } = await tenItems();
      expect(await links(store, { ...wordsQuery('common'), sourceId: b })).toEqual([3, 2]);
    });

    it('applies a date filter across the archive', async () => {
      const { store } = await tenItems();
      const query = { ...wordsQuery('common'), after: new Date(Date.UTC(2026, 0, 3)), before: new Date(Date.UTC(2026, 0, 7)) };
      expect(await links(store, query)).toEqual([5, 4, 3, 2]);
    });

    it('leaves out an excluded word found anywhere, with words and with filters alone', async () => {
      const { store, a } = await tenItems();
      const withoutRare: IndexQuery = { ...wordsQuery('common'), excluded: [[term('rare')]] };
      expect(await links(store, withoutRare)).toEqual([10, 8, 7, 6, 5, 4, 3, 2]);
      const filtersOnly: IndexQuery = { terms: [], phrases: [], excluded: [[term('rare')]], sourceId: a };
      expect(await links(store, filtersOnly)).toEqual([10, 8, 7, 6, 5, 4]);
    });

    it('removes a source’s items from the index wherever they are', async () => {
      const { store, b } = await tenItems();
      await store.removeSource(b);
      expect(await links(store, wordsQuery('common'))).toEqual([10, 9, 8, 7, 6, 5, 4, 1]);
      expect(await links(store, wordsQuery('story'))).toEqual([10, 8, 7, 6, 5, 4]);
    });

    it('forgets what a batch that failed wrote to the index', async () => {
      const store = await opened.open();
      const a = (await store.addSource({ url: 'a', feedUrl: 'a', title: 'A' })).source.id;
      await store.recordItems(a, [dayItem(1, 'first'), dayItem(2, 'second'), dayItem(3, 'third')]);
      const broken = { ...dayItem(5, 'broken'), headline: null as unknown as string };
      await expect(store.recordItems(a, [dayItem(4, 'fourth'), broken])).rejects.toThrow();
      await store.recordItems(a, [dayItem(4, 'fourth again')]);
      expect(await links(store, wordsQuery('fourth'))).toEqual([4]);
      expect(await links(store, wordsQuery('broken'))).toEqual([]);
    });

    it('rebuilds with items recorded meanwhile, and swaps the new index in', async () => {
      const { store, a } = await tenItems();
      const rebuild = await store.beginIndexRebuild(9);
      expect(rebuild).toEqual({ version: 9, untilId: 10, doneUntilId: 0 });
      for (let n = 11; n <= 13; n++) await store.recordItems(a, [dayItem(n, `common late ${n}`)]);
      const texts = await store.listItemTexts(0, rebuild.untilId, 100);
      for (const text of texts) await store.writeIndexBatch([{ id: text.id, title: `rebuilt ${text.id}`, body: '' }], text.id);
      // The live index answers until the swap.
      expect(await links(store, wordsQuery('rebuilt'))).toEqual([]);
      expect(await links(store, wordsQuery('late'))).toEqual([13, 12, 11]);
      await store.finishIndexRebuild();
      expect(await links(store, wordsQuery('rebuilt'))).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      expect(await links(store, wordsQuery('late'))).toEqual([13, 12, 11]);
      expect(await links(store, wordsQuery('story'))).toEqual([]);
      await store.recordItems(a, [dayItem(14, 'after swap')]);
      expect(await links(store, wordsQuery('swap'))).toEqual([14]);
    });

    it('resumes a rebuild after a reopen where it stopped', async () => {
      await tenItems();
      let store = opened.current();
      await store.beginIndexRebuild(9);
      await store.writeIndexBatch([1, 2, 3, 4].map((id) => ({ id, title: `rebuilt ${id}`, body: '' })), 4);
      store = await opened.reopen();
      expect(await store.beginIndexRebuild(9)).toEqual({ version: 9, untilId: 10, doneUntilId: 4 });
      await store.writeIndexBatch([5, 6, 7, 8, 9, 10].map((id) => ({ id, title: `rebuilt ${id}`, body: '' })), 10);
      await store.finishIndexRebuild();
      expect(await links(store, wordsQuery('rebuilt'))).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      expect(await links(store, wordsQuery('rebuilt'), 2, 8)).toEqual([2, 1]);
    });

    it('forgets an abandoned rebuild when another version starts over', async () => {
      const { store } = await tenItems();
      await store.beginIndexRebuild(9);
      await store.writeIndexBatch([{ id: 1, title: 'stale', body: '' }], 1);
      await store.beginIndexRebuild(10);
      await store.writeIndexBatch([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((id) => ({ id, title: 'ten', body: '' })), 10);
      await store.finishIndexRebuild();
      expect(await links(store, wordsQuery('stale'))).toEqual([]);
      expect(await links(store, wordsQuery('ten'))).toHaveLength(10);
    });
  });

  describe('rebuilding the index', () => {
    const opened = storePerTest(backend);
    let store: Store;
    let source: number;

    beforeEach(async () => {
      store = await opened.open();
      source = (await store.addSource({ url: 'a', feedUrl: 'a', title: 'A' })).source.id;
      await store.recordItems(source, [item('1', 'old one', 'body one'), item('2', 'old two', 'body two')]);
    });
    afterEach(() => opened.close());

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
      store = await opened.reopen();
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

    it('refuses a batch or a swap when no rebuild is under way', async () => {
      await expect(store.writeIndexBatch([{ id: 1, title: 'x', body: '' }], 1)).rejects.toThrow(/no index rebuild/);
      await expect(store.finishIndexRebuild()).rejects.toThrow(/no index rebuild/);
      expect(await headlines(store, wordsQuery('old'))).toHaveLength(2);
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
}
