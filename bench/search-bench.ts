import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { toNewItem } from '../src/pipeline/to-new-item.js';
import { searchArticles } from '../src/search/search-articles.js';
import { createSqliteStore } from '../src/store/sqlite-store.js';
import type { NewItem, Store } from '../src/store/store.js';
import { restoreBrokenWords, searchTokens } from '../src/text/index.js';
import { makeTempDir, median, percentile, sqliteFileBytes, timeMsAsync, type Figure } from './measure.js';
import { articleHtml, makeArticles, Random, seedVocabulary, type SyntheticArticle, type Vocabulary } from './synthetic-news.js';

const batchSize = 100; // items per recordItems call, about one feed's worth
const sourceCount = 20;

const EDGE_PUNCTUATION = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;
const ARABIC_WORD = /^[\p{Script=Arabic}\p{M}]+$/u;
const ENGLISH_WORD = /^[A-Za-z]+$/;

/** The words of an article as a reader would remember them: broken words whole, no punctuation. */
function articleWords(article: SyntheticArticle, pattern: RegExp): string[] {
  const text = restoreBrokenWords([article.title, ...article.paragraphs].join(' '));
  return text
    .split(/\s+/)
    .map((word) => word.replace(EDGE_PUNCTUATION, ''))
    .filter((word) => pattern.test(word));
}

/**
 * Queries of 1, 2 and 3 words in turn, three Arabic to one English. Most take their words from one
 * article (a person remembering a story); one in five takes unrelated words from the vocabulary.
 */
function makeQueries(random: Random, vocabulary: Vocabulary, articles: SyntheticArticle[], count: number): string[] {
  const queries: string[] = [];
  for (let i = 0; i < count; i++) {
    const wordCount = (i % 3) + 1;
    const english = i % 4 === 3;
    const pattern = english ? ENGLISH_WORD : ARABIC_WORD;
    let words: string[] = [];
    if (!random.chance(0.2)) {
      for (let attempt = 0; attempt < 50 && words.length < wordCount; attempt++) {
        const candidates = [...new Set(articleWords(random.pick(articles), pattern))];
        if (candidates.length < wordCount) continue;
        words = [];
        while (words.length < wordCount) {
          const word = random.pick(candidates);
          if (!words.includes(word)) words.push(word);
        }
      }
    }
    while (words.length < wordCount) words.push(random.pick(english ? vocabulary.english : vocabulary.arabic));
    queries.push(words.join(' '));
  }
  return queries;
}

/**
 * The scan the index saves us from, in a file of its own: the store's FTS5 table is contentless, so
 * the store file holds no body text a LIKE could scan. The bench writes the same normalised shadow
 * text here, then reopens the file read-only to query it. The app's own SQL stays in store/.
 */
function buildLikeBaseline(file: string, items: NewItem[]): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, published_at TEXT)`);
  const insert = db.prepare(`INSERT INTO docs (title, body, published_at) VALUES (?, ?, ?)`);
  db.transaction(() => {
    for (const item of items) insert.run(item.searchTitle, item.searchBody, item.publishedAt);
  })();
  db.close();
}

/** A LIKE-scan search over the baseline file (opened read-only): every word as a substring, newest first. */
function openLikeBaseline(file: string): { search: (query: string) => number; close: () => void } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const statements = new Map<number, Database.Statement>();
  const statementFor = (wordCount: number) => {
    let statement = statements.get(wordCount);
    if (!statement) {
      // Normalised words hold no % or _ (punctuation became spaces), so they need no LIKE escaping.
      const where = Array.from({ length: wordCount }, () => `(title LIKE ? OR body LIKE ?)`).join(' AND ');
      statement = db.prepare(`SELECT id FROM docs WHERE ${where} ORDER BY published_at DESC LIMIT 5`);
      statements.set(wordCount, statement);
    }
    return statement;
  };
  return {
    search(query) {
      const tokens = searchTokens(query).slice(0, 12);
      if (tokens.length === 0) return 0;
      const patterns = tokens.flatMap((token) => [`%${token}%`, `%${token}%`]);
      return statementFor(tokens.length).all(...patterns).length;
    },
    close: () => db.close(),
  };
}

async function fillStore(store: Store, sourceIds: number[], items: NewItem[]): Promise<void> {
  for (let start = 0, batch = 0; start < items.length; start += batchSize, batch++) {
    await store.recordItems(sourceIds[batch % sourceIds.length]!, items.slice(start, start + batchSize), { deliver: false });
  }
}

/** Per-query latencies in ms of one pass over the queries, and how many queries found anything. */
async function runQueries(queries: string[], search: (query: string) => Promise<number> | number): Promise<{ ms: number[]; hits: number }> {
  const ms: number[] = [];
  let hits = 0;
  for (const query of queries) {
    const start = performance.now();
    const found = await search(query);
    ms.push(performance.now() - start);
    if (found > 0) hits += 1;
  }
  return { ms, hits };
}

/**
 * Index build rate, database size per item, and search latency over `itemCount` synthetic items,
 * with a LIKE scan over the same shadow text as the baseline.
 */
export async function benchSearch(options: {
  itemCount: number;
  queryCount: number;
  /** How many of the queries the (slow) LIKE baseline runs. */
  likeQueryCount: number;
  repetitions: number;
  buildRepetitions: number;
}): Promise<Figure[]> {
  const random = new Random(7_771_001);
  const vocabulary = seedVocabulary();
  const articles = makeArticles(random, vocabulary, options.itemCount, 's', new Date(Date.UTC(2024, 0, 23, 12)), 365);
  const items = articles.map((article) => {
    const item = toNewItem({ key: article.guid, title: article.title, link: article.link, html: articleHtml(article), publishedAt: article.publishedAt.toISOString() });
    if (!item) throw new Error(`article ${article.guid} gave no item`);
    return item;
  });
  const shadowBytes = items.reduce((sum, item) => sum + Buffer.byteLength(item.searchTitle + item.searchBody, 'utf8'), 0);
  const queries = makeQueries(random, vocabulary, articles, options.queryCount);

  // The LIKE scan reads every row (about 60 ms a query here), so it runs a fixed subset: every
  // `likeEvery`-th query, which still cycles through every word count and language.
  const likeEvery = Math.max(1, Math.round(queries.length / options.likeQueryCount));
  const likeQueries = queries.filter((_, i) => i % likeEvery === 0);

  const temp = makeTempDir('search');
  const buildMs: number[] = [];
  const bytesPerItem: number[] = [];
  const fts = { p50: [] as number[], p95: [] as number[], subsetP50: [] as number[], subsetP95: [] as number[], hits: 0 };
  const like = { p50: [] as number[], p95: [] as number[], hits: 0 };
  try {
    let file = '';
    for (let rep = 0; rep < options.buildRepetitions; rep++) {
      file = path.join(temp.dir, `search-${rep}.sqlite`);
      const store = createSqliteStore(file);
      const sourceIds: number[] = [];
      for (let s = 0; s < sourceCount; s++) {
        sourceIds.push((await store.addSource({ url: `https://s${s}.invalid/`, feedUrl: `https://s${s}.invalid/feed`, title: `مصدر ${s}` })).source.id);
      }
      buildMs.push(await timeMsAsync(() => fillStore(store, sourceIds, items)));
      // Closing the last connection checkpoints the WAL into the main file and removes it.
      await store.close();
      bytesPerItem.push(sqliteFileBytes(file) / options.itemCount);
    }

    const likeFile = path.join(temp.dir, 'like-baseline.sqlite');
    buildLikeBaseline(likeFile, items);
    const store = createSqliteStore(file);
    const baseline = openLikeBaseline(likeFile);
    try {
      const ftsSearch = async (query: string) => {
        const outcome = await searchArticles(store, query);
        return outcome.kind === 'results' ? outcome.items.length : 0;
      };
      // Warm-up: JIT and page cache, as in a running bot.
      await runQueries(queries, ftsSearch);
      await runQueries(likeQueries.slice(0, 5), baseline.search);
      for (let rep = 0; rep < options.repetitions; rep++) {
        const ours = await runQueries(queries, ftsSearch);
        fts.p50.push(percentile(ours.ms, 50));
        fts.p95.push(percentile(ours.ms, 95));
        fts.hits = ours.hits;
        const oursOnSubset = ours.ms.filter((_, i) => i % likeEvery === 0);
        fts.subsetP50.push(percentile(oursOnSubset, 50));
        fts.subsetP95.push(percentile(oursOnSubset, 95));
        const scan = await runQueries(likeQueries, baseline.search);
        like.p50.push(percentile(scan.ms, 50));
        like.p95.push(percentile(scan.ms, 95));
        like.hits = scan.hits;
      }
    } finally {
      baseline.close();
      await store.close();
    }
  } finally {
    temp.remove();
  }

  const n = options.itemCount;
  const mix = `${queries.length} queries (1-3 words, 3:1 Arabic:English), ${n.toLocaleString('en-US')} items`;
  const ftsDetail = `${mix}, ${fts.hits} found something`;
  const likeDetail = `LIKE '%word%' over the same shadow text, read-only file; ${likeQueries.length} of the queries, ${like.hits} found something`;
  const ratioMeaning = (p: string) => `ours/LIKE ${p} on the same ${likeQueries.length} queries`;
  return [
    {
      name: 'search.index build',
      value: n / (median(buildMs) / 1000),
      unit: 'items/s',
      repetitions: options.buildRepetitions,
      detail: `recordItems of ready items in batches of ${batchSize}, ${n.toLocaleString('en-US')} items`,
    },
    {
      name: 'search.database size',
      value: median(bytesPerItem),
      unit: 'B/item',
      repetitions: options.buildRepetitions,
      detail: `after checkpoint (store closed); shadow text alone is ${Math.round(shadowBytes / n)} B/item`,
    },
    {
      name: 'search.searchArticles p50',
      value: median(fts.p50),
      unit: 'ms',
      repetitions: options.repetitions,
      detail: ftsDetail,
      baseline: { ratio: median(fts.subsetP50) / median(like.p50), meaning: ratioMeaning('p50') },
    },
    {
      name: 'search.searchArticles p95',
      value: median(fts.p95),
      unit: 'ms',
      repetitions: options.repetitions,
      detail: ftsDetail,
      baseline: { ratio: median(fts.subsetP95) / median(like.p95), meaning: ratioMeaning('p95') },
    },
    { name: 'search.baseline LIKE p50', value: median(like.p50), unit: 'ms', repetitions: options.repetitions, detail: likeDetail },
    { name: 'search.baseline LIKE p95', value: median(like.p95), unit: 'ms', repetitions: options.repetitions, detail: likeDetail },
  ];
}
