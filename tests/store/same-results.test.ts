/**
 * Both backends answer alike: the labelled search set (tests/fixtures/search-eval) is read through
 * the pipeline into a SQLite store and a PostgreSQL one, and every query of the set is asked of both.
 * They must find the same articles; the order may differ where bm25 (FTS5) and ts_rank_cd
 * (PostgreSQL) weigh a match differently, so it is measured, and PostgreSQL must meet the same
 * recall@5 bar as the evaluation sets for SQLite.
 */
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSource } from '../../src/pipeline/add-source.js';
import { createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import type { PipelineDeps } from '../../src/pipeline/ports.js';
import { parseQuery } from '../../src/search/parse-query.js';
import { searchArticles } from '../../src/search/search-articles.js';
import { toIndexQuery } from '../../src/search/to-index-query.js';
import { createFetcher, readSource, type Fetcher } from '../../src/sources/index.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { articleLink, loadEvalSet, scoreAnswers, sourceFeed, type EvalQuery } from '../fixtures/search-eval/eval-set.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { dropSchemas, freshSchemaName, postgresSuiteRuns, testDatabaseUrl } from '../helpers/postgres.js';
import { startLocalHttpServer, type LocalHttpServer } from '../sources/local-http-server.js';

const available = await postgresSuiteRuns('the same-results comparison of SQLite and PostgreSQL');
const evalSet = loadEvalSet();

describe.runIf(available)('SQLite and PostgreSQL answer the labelled queries alike', () => {
  const schema = freshSchemaName('same_results');
  let site: LocalHttpServer;
  let fetcher: Fetcher;
  const stores: Record<'sqlite' | 'postgres', Store> = {} as never;
  /** Each backend's store id of each source of the set (the same, read in the same order). */
  const storeIds = { sqlite: new Map<string, number>(), postgres: new Map<string, number>() };
  const idByLink = new Map<string, string>();

  beforeAll(async () => {
    const feeds = new Map(evalSet.sources.map((source) => [`/${source.id}/feed`, sourceFeed(source, evalSet.articles)]));
    site = await startLocalHttpServer((request, response) => {
      const feed = feeds.get(request.url ?? '');
      response.writeHead(feed ? 200 : 404, { 'content-type': feed ? 'application/rss+xml; charset=utf-8' : 'text/plain' });
      response.end(feed ?? 'not found');
    });
    fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'], timeoutMs: 5000 });
    stores.sqlite = createSqliteStore(path.join(makeTempDir(), 'same.sqlite'));
    stores.postgres = await openPostgresStore(testDatabaseUrl, { schema });
    for (const backend of ['sqlite', 'postgres'] as const) {
      const pipeline: PipelineDeps = {
        store: stores[backend],
        readSource: (url, options) => readSource(fetcher, url, options),
        logger: pino({ level: 'silent' }),
        cpu: createInProcessCpu(),
      };
      for (const source of evalSet.sources) {
        const added = await addSource(pipeline, `${site.origin}/${source.id}/feed`);
        storeIds[backend].set(source.id, added.source.id);
      }
    }
    const sourceById = new Map(evalSet.sources.map((source) => [source.id, source]));
    for (const article of evalSet.articles) idByLink.set(articleLink(sourceById.get(article.sourceId)!, article), article.id);
  }, 60_000);

  afterAll(async () => {
    await fetcher?.close();
    await stores.sqlite?.close();
    await stores.postgres?.close();
    await site?.close();
    await dropSchemas([schema]);
  });

  const queryText = (query: EvalQuery, backend: 'sqlite' | 'postgres') =>
    query.text.replace(/\{([a-z]+)\}/g, (_, id: string) => String(storeIds[backend].get(id) ?? id));
  const idsOf = (links: Array<string | null>) => links.map((link) => (link ? (idByLink.get(link) ?? link) : '?'));

  it('stores the same articles under the same ids', async () => {
    const [a, b] = await Promise.all([stores.sqlite.latestItems(1000), stores.postgres.latestItems(1000)]);
    expect(a.length).toBe(evalSet.articles.length);
    expect(b.map((item) => [item.id, item.link, item.headline])).toEqual(a.map((item) => [item.id, item.link, item.headline]));
  });

  it('finds the same articles for every query of the set, with and without prefixes', async () => {
    const differences: string[] = [];
    let compared = 0;
    for (const query of evalSet.queries) {
      const parsed = (backend: 'sqlite' | 'postgres') => toIndexQuery(parseQuery(queryText(query, backend)));
      for (const prefixes of [true, false]) {
        const found = async (backend: 'sqlite' | 'postgres') => {
          const indexQuery = parsed(backend);
          const asked = prefixes ? indexQuery : { ...indexQuery, terms: indexQuery.terms.map((term) => ({ ...term, prefix: false })) };
          return idsOf((await stores[backend].searchItems(asked, { limit: 200 })).map((hit) => hit.link)).sort();
        };
        const [a, b] = [await found('sqlite'), await found('postgres')];
        compared += 1;
        if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${query.text}${prefixes ? '' : ' (whole words)'}: sqlite ${a.join(' ')} / postgres ${b.join(' ')}`);
      }
    }
    expect(compared).toBe(2 * evalSet.queries.length);
    expect(differences).toEqual([]);
  });

  it('ranks well on PostgreSQL too: the remembered articles in the first five for at least 95 % of the queries', async () => {
    const answers: Record<'sqlite' | 'postgres', string[][]> = { sqlite: [], postgres: [] };
    let sameTop5 = 0;
    for (const query of evalSet.queries) {
      for (const backend of ['sqlite', 'postgres'] as const) {
        const outcome = await searchArticles(stores[backend], queryText(query, backend), { pageSize: 10 });
        answers[backend].push(outcome.kind === 'results' ? idsOf(outcome.items.map((item) => item.link)) : []);
      }
      if (JSON.stringify(answers.sqlite.at(-1)!.slice(0, 5)) === JSON.stringify(answers.postgres.at(-1)!.slice(0, 5))) sameTop5 += 1;
    }
    const sqlite = scoreAnswers(evalSet.queries, answers.sqlite);
    const postgres = scoreAnswers(evalSet.queries, answers.postgres);
    console.log(
      `same results: recall@5 sqlite ${sqlite.recallAt5.toFixed(3)} / postgres ${postgres.recallAt5.toFixed(3)}, ` +
        `MRR ${sqlite.mrr.toFixed(3)} / ${postgres.mrr.toFixed(3)}, same first five in ${sameTop5} of ${evalSet.queries.length} queries`,
    );
    expect(postgres.recallAt5).toBeGreaterThanOrEqual(0.95);
    expect(postgres.mustNotMatches).toEqual([]);
  });
});
