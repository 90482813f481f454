import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSource } from '../../src/pipeline/add-source.js';
import { createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import { pollSource } from '../../src/pipeline/poll-source.js';
import type { PipelineDeps } from '../../src/pipeline/ports.js';
import { searchArticles } from '../../src/search/search-articles.js';
import { createFetcher, readSource, type Fetcher } from '../../src/sources/index.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { startLocalHttpServer, type LocalHttpServer } from '../sources/local-http-server.js';

const signature = 'تابعونا على قناة الشبكة في تلغرام';

function feed(count: number, options: { signed: boolean; headlineless?: boolean } = { signed: true }): string {
  const items = Array.from({ length: count }, (_, i) => {
    const body = [`<p>وصلت القافلة رقم ${i} إلى المخيمات في ريف حلب الشمالي بعد انتظار طويل.</p>`, options.signed ? `<p>${signature}</p>` : ''].join('');
    const title = options.headlineless ? '' : `<title>قافلة رقم ${i}</title>`;
    return `<item>${title}<link>https://net.example/${i}</link><guid>g${i}</guid><description><![CDATA[${body}]]></description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>الشبكة</title><link>https://net.example/</link>${items.reverse().join('')}</channel></rss>`;
}

describe('learning a source’s signature', () => {
  let server: LocalHttpServer;
  let body: string;
  let store: Store;
  let fetcher: Fetcher;
  let deps: PipelineDeps;

  beforeEach(async () => {
    body = feed(6);
    server = await startLocalHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(body);
    });
    store = createSqliteStore(path.join(makeTempDir(), 'sig.sqlite'));
    fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'] });
    deps = {
      store,
      readSource: (url, options) => readSource(fetcher, url, options),
      logger: pino({ level: 'silent' }),
      cpu: createInProcessCpu(),
    };
  });
  afterEach(async () => {
    await fetcher.close();
    await store.close();
    await server.close();
  });

  const links = async (query: string) => {
    const outcome = await searchArticles(store, query, { pageSize: 50 });
    return outcome.kind === 'results' ? outcome.items.map((item) => item.link) : outcome.kind;
  };

  it('learns the line a source repeats from its first items and keeps it out of the index', async () => {
    const { source } = await addSource(deps, `${server.origin}/feed.xml`);
    expect(await store.getSourceSignatures(source.id)).toEqual([signature]);
    expect(await links('تلغرام')).toEqual([]);
    expect(await links('القافلة')).toHaveLength(6);
  });

  it('keeps a learned signature out of later items, their headlines and their snippets', async () => {
    const { source } = await addSource(deps, `${server.origin}/feed.xml`);
    // Later items have no title: their headline comes from their text, which must not be the signature.
    body = feed(8, { signed: true, headlineless: true });
    expect(await pollSource(deps, (await store.getSource(source.id))!)).toMatchObject({ ok: true, newItems: 2 });
    expect(await links('تلغرام')).toEqual([]);
    const outcome = await searchArticles(store, '"القافلة رقم 7"');
    expect(outcome.kind === 'results' && outcome.items.map((item) => [item.headline, item.snippet])).toEqual([
      [expect.not.stringContaining('تلغرام'), expect.not.stringContaining('تلغرام')],
    ]);
    expect(await store.getSourceSignatures(source.id)).toEqual([signature]);
  });

  it('learns nothing from a source whose items share no line', async () => {
    body = feed(6, { signed: false });
    const { source } = await addSource(deps, `${server.origin}/feed.xml`);
    expect(await store.getSourceSignatures(source.id)).toEqual([]);
  });

  it('learns a signature that appears only after the source was added, at a poll', async () => {
    body = feed(2, { signed: false });
    const { source } = await addSource(deps, `${server.origin}/feed.xml`);
    body = feed(10, { signed: true });
    await pollSource(deps, (await store.getSource(source.id))!);
    expect(await store.getSourceSignatures(source.id)).toEqual([signature]);
  });
});
