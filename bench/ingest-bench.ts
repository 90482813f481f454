import path from 'node:path';
import { toNewItems } from '../src/pipeline/to-new-item.js';
import { parseFeedDocument } from '../src/sources/index.js';
import type { FeedEntry } from '../src/sources/types.js';
import { createSqliteStore } from '../src/store/sqlite/index.js';
import type { NewItem } from '../src/store/store.js';
import { makeTempDir, median, timeMs, timeMsAsync, type Figure } from './measure.js';
import { makeArticles, Random, renderRssFeed, seedVocabulary } from './synthetic-news.js';

interface FeedDocument {
  url: string;
  xml: string;
}

/** Feeds as the poller receives them: RSS strings, each from its own (never contacted) site. */
function makeFeeds(feedCount: number, itemsPerFeed: number): FeedDocument[] {
  const random = new Random(20_240_123);
  const vocabulary = seedVocabulary();
  const end = new Date(Date.UTC(2024, 0, 23, 12));
  return Array.from({ length: feedCount }, (_, f) => {
    const url = `https://site-${f}.invalid/feed.xml`;
    const articles = makeArticles(random, vocabulary, itemsPerFeed, `f${f}`, end);
    return { url, xml: renderRssFeed(`موقع ${f}`, `https://site-${f}.invalid/`, articles) };
  });
}

/**
 * What one poll does after the fetch: parse the document, turn entries into items, store them
 * (without deliveries). Timed end to end into a fresh SQLite file per repetition, then each stage
 * alone so a slow one shows.
 */
export async function benchIngest(options: { feeds: number; itemsPerFeed: number; repetitions: number }): Promise<Figure[]> {
  const feeds = makeFeeds(options.feeds, options.itemsPerFeed);
  const expected = options.feeds * options.itemsPerFeed;
  const megabytes = feeds.reduce((sum, feed) => sum + Buffer.byteLength(feed.xml, 'utf8'), 0) / 1e6;
  const detail = `${options.feeds} feeds x ${options.itemsPerFeed} items, ${megabytes.toFixed(1)} MB of RSS`;
  const temp = makeTempDir('ingest');
  const samples = { endToEnd: [] as number[], parse: [] as number[], toNewItems: [] as number[], record: [] as number[] };

  async function freshStore(name: string) {
    const store = createSqliteStore(path.join(temp.dir, `${name}.sqlite`));
    const sourceIds: number[] = [];
    for (const feed of feeds) {
      sourceIds.push((await store.addSource({ url: feed.url, feedUrl: feed.url, title: null })).source.id);
    }
    return { store, sourceIds };
  }

  try {
    // Warm-up (JIT, lazily compiled regexes), and the stage inputs for the per-stage timings.
    const entries: FeedEntry[][] = feeds.map((feed) => parseFeedDocument(feed.xml, feed.url).entries);
    const items: NewItem[][] = entries.map((feedEntries) => toNewItems(feedEntries));
    const storedCount = items.reduce((sum, feedItems) => sum + feedItems.length, 0);
    if (storedCount !== expected) throw new Error(`expected ${expected} items, toNewItems kept ${storedCount}`);

    for (let rep = 0; rep < options.repetitions; rep++) {
      {
        const { store, sourceIds } = await freshStore(`end-to-end-${rep}`);
        let stored = 0;
        samples.endToEnd.push(
          await timeMsAsync(async () => {
            for (const [f, feed] of feeds.entries()) {
              const parsed = parseFeedDocument(feed.xml, feed.url);
              const result = await store.recordItems(sourceIds[f]!, toNewItems(parsed.entries));
              stored += result.newItemIds.length;
            }
          }),
        );
        await store.close();
        if (stored !== expected) throw new Error(`expected ${expected} stored items, got ${stored}`);
      }

      let parsedEntries = 0;
      samples.parse.push(timeMs(() => {
        for (const feed of feeds) parsedEntries += parseFeedDocument(feed.xml, feed.url).entries.length;
      }));
      if (parsedEntries !== expected) throw new Error(`expected ${expected} entries, parsed ${parsedEntries}`);

      let normalised = 0;
      samples.toNewItems.push(timeMs(() => {
        for (const feedEntries of entries) normalised += toNewItems(feedEntries).length;
      }));
      if (normalised !== expected) throw new Error(`expected ${expected} items, normalised ${normalised}`);

      {
        const { store, sourceIds } = await freshStore(`record-only-${rep}`);
        samples.record.push(
          await timeMsAsync(async () => {
            for (const [f, feedItems] of items.entries()) {
              await store.recordItems(sourceIds[f]!, feedItems);
            }
          }),
        );
        await store.close();
      }
    }
  } finally {
    temp.remove();
  }

  const perSecond = (ms: number[]) => expected / (median(ms) / 1000);
  const line = (name: string, ms: number[], what: string): Figure => ({
    name,
    value: perSecond(ms),
    unit: 'items/s',
    repetitions: options.repetitions,
    detail: `${what}; ${detail}`,
  });
  return [
    line('ingest.parse+normalise+store', samples.endToEnd, 'parseFeedDocument -> toNewItems -> recordItems, fresh SQLite file'),
    line('ingest.parse only', samples.parse, 'parseFeedDocument (feedsmith)'),
    line('ingest.toNewItems only', samples.toNewItems, 'html to text, boilerplate, headline, normalise'),
    line('ingest.recordItems only', samples.record, 'one transaction per feed, fresh SQLite file'),
  ];
}
