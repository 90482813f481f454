import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSource } from '../../src/pipeline/add-source.js';
import { createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import { importSources, type ImportProgress } from '../../src/pipeline/import-sources.js';
import type { PipelineDeps } from '../../src/pipeline/ports.js';
import { createFetcher, readSource, type Fetcher } from '../../src/sources/index.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { startLocalHttpServer, type LocalHttpServer } from '../sources/local-http-server.js';

const rss = (title: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>` +
  `<item><title>خبر من ${title}</title><link>https://example.com/${title}/1</link><guid>${title}-1</guid></item>` +
  `</channel></rss>`;

describe('importSources', () => {
  let site: LocalHttpServer;
  let store: Store;
  let fetcher: Fetcher;
  let pipeline: PipelineDeps;
  let inFlight = 0;
  let maxInFlight = 0;
  const logger = pino({ level: 'silent' });

  beforeEach(async () => {
    inFlight = 0;
    maxInFlight = 0;
    // /rss/N is a feed; /missing is a 404; /page is HTML without a feed; /slow/N answers after 150 ms.
    site = await startLocalHttpServer((request, response) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const finish = (status: number, type: string, body: string) => {
        inFlight--;
        response.writeHead(status, { 'content-type': type });
        response.end(body);
      };
      const url = request.url ?? '';
      if (url.startsWith('/rss/')) return finish(200, 'application/rss+xml', rss(`feed${url.slice(5)}`));
      if (url.startsWith('/slow/')) return void setTimeout(() => finish(200, 'application/rss+xml', rss(`slow${url.slice(6)}`)), 150);
      if (url === '/page') return finish(200, 'text/html', '<!doctype html><html><body><p>no feed here</p></body></html>');
      finish(404, 'text/plain', 'not found');
    });
    store = createSqliteStore(path.join(makeTempDir(), 'import.sqlite'));
    fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'], timeoutMs: 3000 });
    pipeline = { store, readSource: (url, options) => readSource(fetcher, url, options), logger, cpu: createInProcessCpu() };
  });

  afterEach(async () => {
    await fetcher.close();
    await store.close();
    await site.close();
  });

  const deps = () => ({ addSource: (url: string) => addSource(pipeline, url), logger });

  it('adds every readable source, keeps going past broken ones, and says why each was refused', async () => {
    await addSource(pipeline, `${site.origin}/rss/0`);
    const urls = [
      `${site.origin}/rss/0`,
      `${site.origin}/rss/1`,
      `${site.origin}/missing`,
      `${site.origin}/rss/2`,
      `${site.origin}/page`,
      'ftp://example.com/feed',
      `${site.origin}/rss/3`,
    ];
    const summary = await importSources(deps(), urls, { concurrency: 3 });

    expect(summary.added.map((entry) => entry.url)).toEqual([urls[1], urls[3], urls[6]]);
    expect(summary.existing.map((entry) => entry.url)).toEqual([urls[0]]);
    expect(summary.refused).toEqual([
      { url: urls[2], code: 'http_status', status: 404 },
      { url: urls[4], code: 'not_a_feed' },
      { url: urls[5], code: 'invalid_url' },
    ]);
    const stored = await store.listSources();
    expect(stored.map((source) => source.url).sort()).toEqual([urls[0], urls[1], urls[3], urls[6]].sort());
    expect(stored.every((source) => source.itemCount === 1)).toBe(true);
  });

  it('reads no more sources at once than its concurrency allows, and reports progress after each', async () => {
    const urls = Array.from({ length: 12 }, (_, i) => `${site.origin}/slow/${i}`);
    const reports: ImportProgress[] = [];
    const summary = await importSources(deps(), urls, { concurrency: 4, onProgress: (progress) => reports.push(progress) });

    expect(summary.added).toHaveLength(12);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(reports.map((report) => report.done)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(reports.at(-1)).toEqual({ total: 12, done: 12, added: 12, existing: 0, refused: 0 });
  });

  it('counts a source that fails in an unexpected way as refused, and a failing progress report as harmless', async () => {
    const summary = await importSources(
      {
        addSource: async (url) => {
          if (url.endsWith('/boom')) throw new Error('database is locked');
          return addSource(pipeline, url);
        },
        logger,
      },
      [`${site.origin}/boom`, `${site.origin}/rss/9`],
      {
        onProgress: () => {
          throw new Error('edit failed');
        },
      },
    );
    expect(summary.refused).toEqual([{ url: `${site.origin}/boom`, code: 'unknown' }]);
    expect(summary.added.map((entry) => entry.url)).toEqual([`${site.origin}/rss/9`]);
  });

  it('starts no new source once its signal is aborted', async () => {
    const controller = new AbortController();
    const urls = Array.from({ length: 10 }, (_, i) => `${site.origin}/rss/${i}`);
    const summary = await importSources(deps(), urls, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.done === 3) controller.abort();
      },
    });
    expect(summary.added).toHaveLength(3);
    expect(await store.listSources()).toHaveLength(3);
  });
});
