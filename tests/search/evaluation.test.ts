/**
 * Issue 12's evaluation: a hand-labelled set of Arabic and English articles in the style of the seed
 * (broken words, "read also" lines and lists, signatures, prefixed and inflected forms), read by
 * nashra as feeds from a 127.0.0.1 site through `addSource` (parse, text rules, signatures learned,
 * store), then searched with `searchArticles`. The same queries run, in the same run, against plain
 * FTS5 (`unicode61`) over the raw text, and both figures are printed for the issue's closing note.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSource } from '../../src/pipeline/add-source.js';
import { createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import type { PipelineDeps } from '../../src/pipeline/ports.js';
import { searchArticles } from '../../src/search/search-articles.js';
import { createFetcher, readSource, type Fetcher } from '../../src/sources/index.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { startLocalHttpServer, type LocalHttpServer } from '../sources/local-http-server.js';
import {
  articleLink,
  loadEvalSet,
  scoreAnswers,
  sourceFeed,
  type EvalFigures,
  type EvalQuery,
  type EvalSet,
} from '../fixtures/search-eval/eval-set.js';

/** Results read per query: every page, up to this many, so a `not` article is caught wherever it ranks. */
const maxResults = 100;
const pageSize = 10;

const evalSet: EvalSet = loadEvalSet();

/** `{orient}` → the store's id of that source. */
function withSourceIds(query: EvalQuery, storeIds: ReadonlyMap<string, number>): string {
  return query.text.replace(/\{([a-z]+)\}/g, (_, id: string) => String(storeIds.get(id) ?? id));
}

/** Every article id nashra answers, best first (all pages up to `maxResults`). */
async function nashraAnswer(store: Store, query: string, idByLink: ReadonlyMap<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 0; ids.length < maxResults; page++) {
    const outcome = await searchArticles(store, query, { page, pageSize });
    if (outcome.kind !== 'results') break;
    for (const item of outcome.items) ids.push(item.link ? (idByLink.get(item.link) ?? item.link) : `#${item.id}`);
    if (!outcome.hasMore) break;
  }
  return ids;
}

/**
 * Plain FTS5 as a newcomer would set it up: the raw title and body (boilerplate and broken words
 * included) in a `unicode61` table, each query word as a quoted FTS5 string, `"a phrase"` as a phrase,
 * `-word` as NOT, `source:` as a column filter, ranked by bm25.
 */
function createPlainFts5(set: EvalSet): { answer: (query: EvalQuery) => string[]; close: () => void } {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE docs USING fts5(article UNINDEXED, source UNINDEXED, title, body, tokenize = 'unicode61')`);
  const insert = db.prepare(`INSERT INTO docs (article, source, title, body) VALUES (?, ?, ?, ?)`);
  for (const article of set.articles) {
    insert.run(article.id, article.sourceId, article.title, article.lines.map((line) => line.replace(/^- /, '')).join('\n'));
  }
  const everywhere = db.prepare(`SELECT article FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ${maxResults}`);
  const inSource = db.prepare(`SELECT article FROM docs WHERE docs MATCH ? AND source = ? ORDER BY rank LIMIT ${maxResults}`);
  const hasWord = /[\p{L}\p{N}]/u;
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  return {
    answer(query) {
      const positive: string[] = [];
      const negative: string[] = [];
      let source: string | undefined;
      // A phrase is a quoted run; anything else is one word (a stray quote is dropped from it).
      for (const match of query.text.matchAll(/"([^"]*)"|(\S+)/g)) {
        if (match[1] !== undefined) {
          if (hasWord.test(match[1])) positive.push(quote(match[1]));
          continue;
        }
        const word = (match[2] ?? '').replace(/["*]/g, '');
        const sourceMatch = /^source:\{([a-z]+)\}$/.exec(word);
        if (sourceMatch) source = sourceMatch[1];
        else if (word.startsWith('-') && hasWord.test(word)) negative.push(quote(word.slice(1)));
        else if (hasWord.test(word)) positive.push(quote(word));
      }
      if (positive.length === 0) return [];
      const expression = [positive.join(' '), ...negative.map((word) => `NOT ${word}`)].join(' ');
      const rows = (source === undefined ? everywhere.all(expression) : inSource.all(expression, source)) as Array<{ article: string }>;
      return rows.map((row) => row.article);
    },
    close: () => db.close(),
  };
}

function figuresLine(engine: string, figures: EvalFigures): string {
  return (
    `search eval ${engine}: recall@5 ${figures.recallAt5.toFixed(3)}, MRR ${figures.mrr.toFixed(3)}, ` +
    `must-not matches ${figures.mustNotMatches.length} (${evalSet.queries.length} queries, ${evalSet.articles.length} articles)`
  );
}

describe('search evaluation on the labelled set', () => {
  let site: LocalHttpServer;
  let fetcher: Fetcher;
  let store: Store;
  const storeIds = new Map<string, number>();
  const idByLink = new Map<string, string>();
  const storedItems = new Map<string, number>();
  let nashra: EvalFigures;
  let plain: EvalFigures;

  beforeAll(async () => {
    const feeds = new Map(evalSet.sources.map((source) => [`/${source.id}/feed`, sourceFeed(source, evalSet.articles)]));
    site = await startLocalHttpServer((request, response) => {
      const feed = feeds.get(request.url ?? '');
      response.writeHead(feed ? 200 : 404, { 'content-type': feed ? 'application/rss+xml; charset=utf-8' : 'text/plain' });
      response.end(feed ?? 'not found');
    });
    store = createSqliteStore(path.join(makeTempDir(), 'evaluation.sqlite'));
    fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'], timeoutMs: 5000 });
    const pipeline: PipelineDeps = {
      store,
      readSource: (url, options) => readSource(fetcher, url, options),
      logger: pino({ level: 'silent' }),
      cpu: createInProcessCpu(),
    };
    for (const source of evalSet.sources) {
      const added = await addSource(pipeline, `${site.origin}/${source.id}/feed`);
      storeIds.set(source.id, added.source.id);
      storedItems.set(source.id, added.created ? added.itemCount : 0);
    }
    const sourceById = new Map(evalSet.sources.map((source) => [source.id, source]));
    for (const article of evalSet.articles) idByLink.set(articleLink(sourceById.get(article.sourceId)!, article), article.id);

    const answers: string[][] = [];
    for (const query of evalSet.queries) answers.push(await nashraAnswer(store, withSourceIds(query, storeIds), idByLink));
    nashra = scoreAnswers(evalSet.queries, answers);

    const fts5 = createPlainFts5(evalSet);
    try {
      plain = scoreAnswers(evalSet.queries, evalSet.queries.map((query) => fts5.answer(query)));
    } finally {
      fts5.close();
    }
    console.log(figuresLine('nashra', nashra));
    console.log(figuresLine('plain FTS5 unicode61 on raw text', plain));
  }, 60_000);

  afterAll(async () => {
    await fetcher?.close();
    await store?.close();
    await site?.close();
  });

  it('holds at least 60 articles and 80 queries, every label naming an article of the set', () => {
    expect(evalSet.articles.length).toBeGreaterThanOrEqual(60);
    expect(evalSet.queries.length).toBeGreaterThanOrEqual(80);
    const ids = new Set(evalSet.articles.map((article) => article.id));
    expect(ids.size).toBe(evalSet.articles.length);
    const sources = new Set(evalSet.sources.map((source) => source.id));
    expect(evalSet.articles.filter((article) => !sources.has(article.sourceId))).toEqual([]);
    for (const query of evalSet.queries) {
      expect(query.must.length, query.text).toBeGreaterThan(0);
      expect([...query.must, ...query.mustNot].filter((id) => !ids.has(id)), query.text).toEqual([]);
      expect(query.must.filter((id) => query.mustNot.includes(id)), query.text).toEqual([]);
    }
  });

  it('stores every article of every source read through the pipeline', () => {
    for (const source of evalSet.sources) {
      const expected = evalSet.articles.filter((article) => article.sourceId === source.id).length;
      expect(storedItems.get(source.id), source.id).toBe(expected);
    }
  });

  it('puts the remembered articles in the first five results for at least 95 % of the queries (recall@5)', () => {
    const detail = nashra.misses.map((miss) => `${miss.query} → missing ${miss.missing.join(' ')}, top 5: ${miss.top5.join(' ')}`).join('\n');
    expect(nashra.recallAt5, `${figuresLine('nashra', nashra)}\n${detail}`).toBeGreaterThanOrEqual(0.95);
  });

  it('never returns an article through a "read also" line, a list of other headlines, or a signature', () => {
    expect(nashra.mustNotMatches).toEqual([]);
  });

  it('finds more than plain FTS5 over the raw text does, and matches boilerplate less often', () => {
    expect(nashra.recallAt5).toBeGreaterThan(plain.recallAt5);
    expect(nashra.mustNotMatches.length).toBeLessThan(plain.mustNotMatches.length);
  });
});
