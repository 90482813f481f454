import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createCpuPool } from '../src/pipeline/cpu-pool.js';
import { reindexItems } from '../src/pipeline/reindex-items.js';
import { toNewItem } from '../src/pipeline/to-new-item.js';
import { searchArticles } from '../src/search/search-articles.js';
import { createSqliteStore } from '../src/store/sqlite/index.js';
import type { NewItem, Store } from '../src/store/store.js';
import { makeTempDir, median, percentile, sqliteFileBytes, type Figure } from './measure.js';
import { newsVocabulary, evalQueries } from './news-vocabulary.js';
import { articleHtml, makeArticle, Random, type SyntheticArticle } from './synthetic-news.js';

const batchSize = 100; // items per recordItems call, about one feed's worth
const sourceCount = 20;
/** Distinct articles made by the text rules; larger corpora reuse them under new keys and dates. */
const distinctArticles = 50_000;

const EDGE_PUNCTUATION = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;
// A word a reader would remember and type: whole (no tatweel, which marks a broken word), 4+ letters.
const REMEMBERED_WORD = /^(?:[\u0621-\u063A\u0641-\u064A]{4,}|[A-Za-z]{4,})$/u;

/** Words of an article a reader could remember (its title and paragraphs, not its "read also" line). */
function rememberedWords(article: SyntheticArticle): string[] {
  const lines = [article.title, ...article.paragraphs.filter((line) => !line.startsWith('إقرأ'))];
  const words = lines.join(' ').split(/\s+/).map((word) => word.replace(EDGE_PUNCTUATION, ''));
  return [...new Set(words.filter((word) => REMEMBERED_WORD.test(word)))];
}

/**
 * The queries: every query of the labelled evaluation set (phrases, `-word`, `source:` included), then
 * queries of 1, 2 and 3 words a reader remembers from one article of the corpus.
 */
function makeQueries(random: Random, articles: readonly SyntheticArticle[], count: number, sourceId: number): string[] {
  const queries = evalQueries().map((query) => query.replace(/\{[a-z]+\}/g, String(sourceId)));
  for (let i = 0; queries.length < count; i++) {
    const wordCount = (i % 3) + 1;
    for (let attempt = 0; attempt < 50; attempt++) {
      const candidates = rememberedWords(random.pick(articles));
      if (candidates.length < wordCount) continue;
      const words: string[] = [];
      while (words.length < wordCount) {
        const word = random.pick(candidates);
        if (!words.includes(word)) words.push(word);
      }
      queries.push(words.join(' '));
      break;
    }
  }
  return queries;
}

/** The articles the text rules turn into ready items, once per run (the corpus reuses them). */
function makeCorpus(): { articles: SyntheticArticle[]; items: NewItem[]; makeMs: number } {
  const random = new Random(7_771_001);
  const vocabulary = newsVocabulary();
  const end = Date.UTC(2024, 6, 1, 12);
  const articles = Array.from({ length: distinctArticles }, (_, i) => {
    const publishedAt = new Date(end - random.int(0, 365 * 86_400) * 1000);
    return makeArticle(random, vocabulary, `d-${i}`, publishedAt);
  });
  const started = performance.now();
  const items = articles.map((article) => {
    const item = toNewItem({ key: article.guid, title: article.title, link: article.link, html: articleHtml(article), publishedAt: article.publishedAt.toISOString() });
    if (!item) throw new Error(`article ${article.guid} gave no item`);
    return item;
  });
  return { articles, items, makeMs: performance.now() - started };
}

/**
 * The `n`-th item of a corpus: a distinct article's ready item under its own key, link and date (spread
 * over two years), so every stored row is a separate article to the index.
 */
function corpusItem(items: readonly NewItem[], n: number): NewItem {
  const base = items[n % items.length]!;
  const publishedAt = new Date(Date.UTC(2022, 6, 1) + ((n * 7_919) % (730 * 86_400)) * 1000).toISOString();
  return { ...base, key: `bench-${n}`, link: `https://news.invalid/${n}`, publishedAt };
}

/** Fills a fresh store with `count` items in batches of `batchSize`, the sources in turn; returns ms. */
async function fillStore(store: Store, items: readonly NewItem[], count: number): Promise<{ ms: number; sourceIds: number[] }> {
  const sourceIds: number[] = [];
  for (let s = 0; s < sourceCount; s++) {
    sourceIds.push((await store.addSource({ url: `https://s${s}.invalid/`, feedUrl: `https://s${s}.invalid/feed`, title: `مصدر ${s}` })).source.id);
  }
  const started = performance.now();
  const batch: NewItem[] = [];
  for (let n = 0, b = 0; n < count; n += batchSize, b++) {
    batch.length = 0;
    for (let i = n; i < Math.min(count, n + batchSize); i++) batch.push(corpusItem(items, i));
    await store.recordItems(sourceIds[b % sourceIds.length]!, batch);
  }
  return { ms: performance.now() - started, sourceIds };
}

/** Per-query latencies in ms of one pass over the queries, and how many found anything. */
async function runQueries(store: Store, queries: readonly string[]): Promise<{ ms: number[]; hits: number }> {
  const ms: number[] = [];
  let hits = 0;
  for (const query of queries) {
    const start = performance.now();
    const outcome = await searchArticles(store, query);
    ms.push(performance.now() - start);
    if (outcome.kind === 'results' && outcome.items.length > 0) hits += 1;
  }
  return { ms, hits };
}

function countLabel(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
}

/**
 * Search at scale: index build rate, bytes per article and searchArticles p50/p95 over a store of
 * `itemCount` synthetic articles, and the rate of a full index rebuild (reindexItems on the worker
 * pool, as `npm run reindex` does). Each size is built `buildRepetitions` times into a temp dir; the
 * last build is searched and rebuilt, then removed.
 */
export async function benchSearch(options: {
  itemCounts: number[];
  queryCount: number;
  /** Passes over the queries, per size. */
  repetitions: number;
  /** Builds per size (the 1M one is best built once). */
  buildRepetitions: (itemCount: number) => number;
  /** Whether to rebuild the index at this size (a 1M rebuild redoes the text rules for every item). */
  rebuild: (itemCount: number) => boolean;
}): Promise<Figure[]> {
  const corpus = makeCorpus();
  const figures: Figure[] = [];
  const logger = pino({ level: 'silent' });
  const threads = Math.max(1, Math.min(4, os.availableParallelism() - 1));
  for (const n of options.itemCounts) {
    const label = countLabel(n);
    const temp = makeTempDir(`search-${label}`);
    const buildMs: number[] = [];
    const bytes: number[] = [];
    const p50: number[] = [];
    const p95: number[] = [];
    let hits = 0;
    let queries: string[] = [];
    let rebuildRate: number | null = null;
    try {
      let file = '';
      const builds = Math.max(1, options.buildRepetitions(n));
      for (let rep = 0; rep < builds; rep++) {
        file = path.join(temp.dir, `search-${rep}.sqlite`);
        const store = createSqliteStore(file);
        const { ms, sourceIds } = await fillStore(store, corpus.items, n);
        buildMs.push(ms);
        queries = makeQueries(new Random(4_242), corpus.articles, options.queryCount, sourceIds[3]!);
        // Closing the last connection checkpoints the WAL into the main file and removes it.
        await store.close();
        bytes.push(sqliteFileBytes(file) / n);
      }
      const store = createSqliteStore(file);
      try {
        // Warm-up: JIT and page cache, as in a running bot.
        await runQueries(store, queries);
        for (let rep = 0; rep < options.repetitions; rep++) {
          const pass = await runQueries(store, queries);
          p50.push(percentile(pass.ms, 50));
          p95.push(percentile(pass.ms, 95));
          hits = pass.hits;
        }
        if (options.rebuild(n)) {
          const cpu = createCpuPool({ threads });
          try {
            const result = await reindexItems({ store, cpu, logger }, { force: true });
            if (!result.rebuilt) throw new Error(`rebuild of ${n} items did not finish`);
            rebuildRate = result.items / (result.ms / 1000);
          } finally {
            await cpu.close();
          }
        }
      } finally {
        await store.close();
      }
    } finally {
      temp.remove();
    }

    const builds = buildMs.length;
    const count = n.toLocaleString('en-US');
    const mix = `${queries.length} queries (the evaluation set's ${evalQueries().length}, then 1-3 remembered words), ${count} items, ${hits} found something`;
    figures.push(
      { name: `search.index build ${label}`, value: n / (median(buildMs) / 1000), unit: 'items/s', repetitions: builds, detail: `recordItems of ready items in batches of ${batchSize}, ${count} items` },
      { name: `search.database size ${label}`, value: median(bytes), unit: 'B/item', repetitions: builds, detail: 'after checkpoint (store closed): items with their body text, and the index' },
      { name: `search.searchArticles p50 ${label}`, value: median(p50), unit: 'ms', repetitions: options.repetitions, detail: mix },
      { name: `search.searchArticles p95 ${label}`, value: median(p95), unit: 'ms', repetitions: options.repetitions, detail: `${mix}; goal at 1M: <= 20 ms` },
    );
    if (rebuildRate !== null) {
      figures.push({ name: `search.index rebuild ${label}`, value: rebuildRate, unit: 'items/s', repetitions: 1, detail: `reindexItems (force), ${threads} worker thread(s), ${count} items` });
    }
  }
  figures.push({
    name: 'search.text rules',
    value: corpus.items.length / (corpus.makeMs / 1000),
    unit: 'items/s',
    repetitions: 1,
    detail: `toNewItem on the main thread, ${distinctArticles.toLocaleString('en-US')} distinct articles (larger corpora reuse them under new keys and dates)`,
  });
  return figures;
}
