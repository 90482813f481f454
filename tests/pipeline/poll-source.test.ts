import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSource } from '../../src/pipeline/add-source.js';
import { createCpuPool, createInProcessCpu, type CpuWork } from '../../src/pipeline/cpu-pool.js';
import { createSourcePoller } from '../../src/pipeline/poll-all-sources.js';
import { pollSource } from '../../src/pipeline/poll-source.js';
import type { PipelineDeps, SourceNotice } from '../../src/pipeline/ports.js';
import { createFetcher, readArticlePage, readSource, type Fetcher } from '../../src/sources/index.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { SourceRecord, Store } from '../../src/store/store.js';
import { searchArticles } from '../../src/search/search-articles.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { FeedFarm } from '../helpers/feed-farm.js';
import { waitUntil } from '../helpers/wait-until.js';
import { startLocalHttpServer } from '../sources/local-http-server.js';

/** The in-process CPU work, counting what it is asked to do. */
function countingCpu(): CpuWork & { parsed: number; madeItems: number[] } {
  const inner = createInProcessCpu();
  const cpu = {
    parsed: 0,
    madeItems: [] as number[],
    parseDocument: async (input: Parameters<CpuWork['parseDocument']>[0]) => {
      cpu.parsed += 1;
      return inner.parseDocument(input);
    },
    makeItems: async (input: Parameters<CpuWork['makeItems']>[0]) => {
      cpu.madeItems.push(input.entries.length);
      return inner.makeItems(input);
    },
    makeIndexTokens: inner.makeIndexTokens,
    learnSignatures: inner.learnSignatures,
    close: inner.close,
  };
  return cpu;
}

describe('polling a source', () => {
  let farm: FeedFarm;
  let store: Store;
  let fetcher: Fetcher;
  let cpu: ReturnType<typeof countingCpu>;
  let notices: SourceNotice[];
  let deps: PipelineDeps;

  beforeEach(async () => {
    farm = await new FeedFarm().start();
    store = createSqliteStore(path.join(makeTempDir(), 'p.sqlite'));
    fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'], timeoutMs: 1500 });
    cpu = countingCpu();
    notices = [];
    deps = {
      store,
      readSource: (url, options) => readSource(fetcher, url, { ...options, parse: cpu.parseDocument }),
      logger: pino({ level: 'silent' }),
      cpu,
      notify: (notice) => notices.push(notice),
    };
    await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    await store.subscribe(-100, 'all', 1);
  });

  afterEach(async () => {
    await fetcher.close();
    await store.close();
    await farm.close();
  });

  async function add(url: string): Promise<SourceRecord> {
    const result = await addSource(deps, url);
    return result.source;
  }
  const fresh = async (id: number) => (await store.getSource(id))!;

  it('does not parse a body byte-identical to the last one read, even without ETag or Last-Modified', async () => {
    const feed = farm.addFeed('/big.xml', { count: 1000 });
    const source = await add(feed.url);
    expect(cpu.parsed).toBe(1);
    const result = await pollSource(deps, await fresh(source.id));
    expect(result).toMatchObject({ ok: true, notModified: true, newItems: 0 });
    expect(cpu.parsed).toBe(1);
    expect(feed.requests).toBe(2);
    expect((await fresh(source.id)).lastSuccessAt).not.toBeNull();
  });

  it('sends only the new entries through the text rules: the cost of a poll is what is new', async () => {
    const feed = farm.addFeed('/big.xml', { count: 1000 });
    const source = await add(feed.url);
    expect(cpu.madeItems).toEqual([1000]);
    farm.publish(feed, { guid: 'fresh-1', title: 'خبر جديد' });
    const result = await pollSource(deps, await fresh(source.id));
    expect(result).toMatchObject({ ok: true, newItems: 1, queuedDeliveries: 1 });
    expect(cpu.madeItems).toEqual([1000, 1]);
  });

  it('posts at most N new items of one source per poll, the newest, and keeps the rest searchable', async () => {
    const feed = farm.addFeed('/burst.xml', { count: 2 });
    const source = await add(feed.url);
    for (let i = 0; i < 30; i++) farm.publish(feed, { guid: `b${i}`, title: `عاجل ${i}`, pubDate: new Date(Date.now() + i * 1000) });
    const result = await pollSource({ ...deps, postsPerPoll: 20 }, await fresh(source.id));
    expect(result).toMatchObject({ ok: true, newItems: 30, queuedDeliveries: 20, unposted: 10 });
    const [first] = await store.claimDueDeliveries({ now: new Date(), limit: 1 });
    expect(first?.headline).toBe('عاجل 10');
    expect((await fresh(source.id)).itemCount).toBe(32);
  });

  it('stops posting a feed that changes every id at every poll, and tells the bot admins once', async () => {
    const feed = farm.addFeed('/churn.xml', { count: 12, churnGuids: true });
    const source = await add(feed.url);
    const first = await pollSource({ ...deps, postsPerPoll: 5 }, await fresh(source.id));
    expect(first).toMatchObject({ newItems: 12, queuedDeliveries: 5 });
    expect(notices).toEqual([]);
    const second = await pollSource({ ...deps, postsPerPoll: 5 }, await fresh(source.id));
    expect(second).toMatchObject({ newItems: 12, queuedDeliveries: 0 });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'flooding', newEntries: 12, entries: 12 });
    await pollSource({ ...deps, postsPerPoll: 5 }, await fresh(source.id));
    expect(notices).toHaveLength(1);
    // The feed settles: posting resumes.
    feed.churnGuids = false;
    feed.rendered = undefined;
    expect(await pollSource(deps, await fresh(source.id))).toMatchObject({ newItems: 12, queuedDeliveries: 0 });
    farm.publish(feed, { guid: 'calm' });
    expect(await pollSource(deps, await fresh(source.id))).toMatchObject({ newItems: 1, queuedDeliveries: 1 });
  });

  it('backs off after each failure, pauses after ten in a row, and tells the bot admins with the last error', async () => {
    const feed = farm.addFeed('/flaky.xml');
    const source = await add(feed.url);
    feed.status = 500;
    const before = Date.now();
    await pollSource(deps, await fresh(source.id));
    const once = await fresh(source.id);
    expect(once.consecutiveFailures).toBe(1);
    expect(once.nextPollAt.getTime() - before).toBeGreaterThanOrEqual(50_000);
    await pollSource(deps, once);
    const twice = await fresh(source.id);
    expect(twice.nextPollAt.getTime() - before).toBeGreaterThanOrEqual(100_000);
    for (let i = 2; i < 10; i++) await pollSource(deps, await fresh(source.id));
    const paused = await fresh(source.id);
    expect(paused).toMatchObject({ state: 'paused', consecutiveFailures: 10 });
    expect(paused.stateReason).toMatch(/500/);
    expect(notices).toMatchObject([{ kind: 'paused', failures: 10 }]);
    expect(await store.listDueSources(new Date(Date.now() + 10 * 86_400_000), 10)).toEqual([]);
  });

  it('retires a source whose feed answers 410 Gone, and tells the bot admins', async () => {
    const feed = farm.addFeed('/gone.xml');
    const source = await add(feed.url);
    feed.status = 410;
    expect(await pollSource(deps, await fresh(source.id))).toMatchObject({ ok: false });
    expect(await fresh(source.id)).toMatchObject({ state: 'retired' });
    expect(notices).toMatchObject([{ kind: 'retired' }]);
  });

  it('honours Retry-After on 429 and 503', async () => {
    const feed = farm.addFeed('/busy.xml');
    const source = await add(feed.url);
    feed.status = 429;
    feed.headers = { 'retry-after': '7200' };
    const before = Date.now();
    await pollSource(deps, await fresh(source.id));
    expect((await fresh(source.id)).nextPollAt.getTime() - before).toBeGreaterThanOrEqual(7_200_000);
  });

  it('honours the feed’s <ttl> and Cache-Control max-age when scheduling the next poll', async () => {
    const feed = farm.addFeed('/cached.xml', { headers: { 'cache-control': 'public, max-age=900' } });
    const source = await add(feed.url);
    farm.publish(feed, { guid: 'x' });
    const before = Date.now();
    await pollSource(deps, await fresh(source.id));
    expect((await fresh(source.id)).nextPollAt.getTime() - before).toBeGreaterThanOrEqual(0.9 * 900_000 - 1000);
  });

  it('follows a 301 for good: the source is polled at its new address from then on', async () => {
    const oldFeed = farm.addFeed('/old.xml');
    const source = await add(oldFeed.url);
    const newFeed = farm.addFeed('/new.xml');
    newFeed.items = oldFeed.items;
    farm.moveFeed(oldFeed.url, newFeed);
    await pollSource(deps, await fresh(source.id));
    expect((await fresh(source.id)).feedUrl).toBe(newFeed.url);
  });
});

describe('a source set to full text', () => {
  it('reads each new article’s page once, so search finds words that only the page carries', async () => {
    const seed = fs.readFileSync(new URL('../fixtures/seed-article.txt', import.meta.url), 'utf8');
    const paragraphs = seed.split('\n').filter((line) => line.trim() !== '').slice(2);
    let published = false;
    const pageRequests: string[] = [];
    const server = await startLocalHttpServer((req, res) => {
      if (req.url === '/feed.xml') {
        const item = published
          ? `<item><title>روسيا تقر بخسائرها</title><link>${server.origin}/article-1</link><guid>a1</guid><description>مقتطف قصير</description></item>`
          : '';
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Excerpts</title>${item}</channel></rss>`);
        return;
      }
      pageRequests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>t</title></head><body><nav>القائمة</nav><article><h1>روسيا تقر بخسائرها</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}<p>كلمةنادرةجدا في الصفحة وحدها.</p></article><footer>حقوق</footer></body></html>`);
    });
    const store = createSqliteStore(path.join(makeTempDir(), 'p.sqlite'));
    const fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'] });
    const deps: PipelineDeps = {
      store,
      readSource: (url, options) => readSource(fetcher, url, options),
      readPage: (url) => readArticlePage(fetcher, url),
      logger: pino({ level: 'silent' }),
      cpu: createInProcessCpu(),
    };
    try {
      const { source } = await addSource(deps, `${server.origin}/feed.xml`);
      await store.setSourceFullText(source.id, true);
      published = true;
      expect(await pollSource(deps, (await store.getSource(source.id))!)).toMatchObject({ ok: true, newItems: 1 });
      expect(pageRequests).toEqual(['/article-1']);
      const found = await searchArticles(store, 'كلمةنادرةجدا');
      expect(found.kind === 'results' ? found.items.map((item) => item.headline) : found).toEqual(['روسيا تقر بخسائرها']);
      // The page's navigation and footer are not article text.
      expect(await searchArticles(store, 'القائمة')).toMatchObject({ kind: 'results', items: [] });
      // A later poll reads no page again.
      await pollSource(deps, (await store.getSource(source.id))!);
      expect(pageRequests).toHaveLength(1);
    } finally {
      await fetcher.close();
      await store.close();
      await server.close();
    }
  });
});

describe('the source poller', () => {
  let farm: FeedFarm;
  let store: Store;
  let fetcher: Fetcher;
  let deps: PipelineDeps;

  beforeEach(async () => {
    farm = await new FeedFarm().start();
    store = createSqliteStore(path.join(makeTempDir(), 'p.sqlite'));
    fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'], timeoutMs: 3000 });
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
    await farm.close();
  });

  it('never sends one host more than its share of polls at once', async () => {
    for (let i = 0; i < 12; i++) {
      const feed = farm.addFeed(`/f${i}.xml`, { delayMs: 50 });
      await addSource(deps, feed.url);
    }
    const poller = createSourcePoller(deps, { concurrency: 8, perHost: 2 });
    const summary = await poller.pollAll();
    expect(summary).toMatchObject({ sources: 12, failed: 0 });
    expect(farm.maxActiveByHost.get('127.0.0.1')).toBe(2);
  });

  it('keeps polling healthy sources on time while a hung one is still waiting', async () => {
    const hung = farm.addFeed('/hung.xml');
    const healthy = farm.addFeed('/healthy.xml');
    await addSource(deps, hung.url);
    const added = await addSource(deps, healthy.url);
    hung.hang = true;
    await store.setSourceInterval(added.source.id, null);
    const poller = createSourcePoller(deps, { concurrency: 4, perHost: 2 });
    const hungBefore = hung.requests;
    const healthyPolls = (await store.getSource(added.source.id))!.lastPolledAt;
    const slowBatch = poller.pollAll();
    // The hung fetch is in flight and the healthy source's poll in the same batch is recorded.
    await waitUntil(
      async () => hung.requests > hungBefore && (await store.getSource(added.source.id))!.lastPolledAt !== healthyPolls,
      'the first batch is waiting on the hung source only',
    );
    const requestsBefore = healthy.requests;
    // A later batch polls the healthy source again and skips the one still in flight.
    const next = await poller.pollAll();
    expect(next).toMatchObject({ sources: 1, busy: 1 });
    expect(healthy.requests).toBe(requestsBefore + 1);
    expect(await slowBatch).toMatchObject({ sources: 2, failed: 1 });
  });
});

describe('the worker pool', () => {
  it('parses and prepares items on worker threads, with the same result as in-process', async () => {
    const farm = await new FeedFarm().start();
    const feed = farm.addFeed('/w.xml', { count: 50 });
    const fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'] });
    const pool = createCpuPool({ threads: 1 });
    try {
      const reading = await readSource(fetcher, feed.url, { parse: pool.parseDocument });
      const local = await readSource(fetcher, feed.url);
      expect(reading.notModified).toBe(false);
      if (reading.notModified || local.notModified) return;
      expect(reading.feed).toEqual(local.feed);
      const items = await pool.makeItems({ entries: reading.feed.entries, signatures: [] });
      expect(items).toEqual(await createInProcessCpu().makeItems({ entries: local.feed.entries, signatures: [] }));
      expect(items[0]?.searchBody).toContain('خسائر');
    } finally {
      await pool.close();
      await fetcher.close();
      await farm.close();
    }
  });
});
