import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSource } from '../../src/pipeline/add-source.js';
import { createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import { pollAllSources } from '../../src/pipeline/poll-all-sources.js';
import type { PipelineDeps } from '../../src/pipeline/ports.js';
import { createFetcher, readSource, type Fetcher } from '../../src/sources/index.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { FakeNewsSite } from '../helpers/fake-news-site.js';

describe('a poll cycle', () => {
  let site: FakeNewsSite;
  let broken: http.Server;
  let brokenUrl: string;
  let brokenStatus = 200;
  let store: Store;
  let fetcher: Fetcher;
  let deps: PipelineDeps;

  beforeEach(async () => {
    site = await new FakeNewsSite().start();
    brokenStatus = 200;
    broken = http.createServer((_req, res) => {
      res.writeHead(brokenStatus, { 'content-type': 'application/rss+xml' });
      res.end('<?xml version="1.0"?><rss version="2.0"><channel><title>Flaky</title></channel></rss>');
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/rss`;
    store = createSqliteStore(path.join(makeTempDir(), 'p.sqlite'));
    fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'], timeoutMs: 2000 });
    deps = {
      store,
      readSource: (url, options) => readSource(fetcher, url, options),
      logger: pino({ level: 'silent' }),
      cpu: createInProcessCpu(),
    };
    await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    await store.subscribe(-100, 'all', 1);
  });

  afterEach(async () => {
    await fetcher.close();
    await store.close();
    await site.close();
    broken.close();
  });

  it('queues the new items of a healthy source while another source fails, and records the failure', async () => {
    site.publish({ guid: 'old', title: 'قديم', body: 'نص' });
    await addSource(deps, site.feedUrl);
    await addSource(deps, brokenUrl);
    brokenStatus = 500;
    site.publish({ guid: 'new-1', title: 'جديد أول', body: 'نص', pubDate: new Date(Date.now() - 60_000) });
    site.publish({ guid: 'new-2', title: 'جديد ثان', body: 'نص', pubDate: new Date() });

    const summary = await pollAllSources(deps);
    expect(summary).toMatchObject({ sources: 2, failed: 1, newItems: 2, queuedDeliveries: 2 });
    const sources = await store.listSources();
    expect(sources.find((s) => s.url === brokenUrl)?.lastError).toMatch(/500/);
    expect(sources.find((s) => s.url === brokenUrl)?.consecutiveFailures).toBe(1);
    expect(sources.find((s) => s.url === site.feedUrl)?.lastError).toBeNull();

    // Oldest first, as they were published; the item that was there when the source was added is not posted.
    const first = await store.claimDueDeliveries({ now: new Date(), limit: 5 });
    expect(first.map((d) => d.headline)).toEqual(['جديد أول']);
    await store.markDeliverySent(first[0]!.id, 1);
    expect((await store.claimDueDeliveries({ now: new Date(), limit: 5 })).map((d) => d.headline)).toEqual(['جديد ثان']);
  });

  it('posts nothing again on later polls, even when the feed reorders or repeats its items', async () => {
    await addSource(deps, site.feedUrl);
    for (const guid of ['a', 'b', 'c', 'd']) site.publish({ guid, title: `خبر ${guid}`, body: 'نص' });
    expect((await pollAllSources(deps)).newItems).toBe(4);
    expect(site.articles.map((article) => article.guid)).toEqual(['d', 'c', 'b', 'a']);

    // Every item moves (none keeps its place), one appears twice, and a new one arrives in the middle.
    const byGuid = new Map(site.articles.map((article) => [article.guid, article]));
    site.articles.splice(0, site.articles.length, ...['b', 'd', 'a', 'c'].map((guid) => byGuid.get(guid)!));
    site.publish({ guid: 'c', title: 'خبر c', body: 'نص' });
    const fresh = site.publish({ guid: 'e', title: 'خبر e', body: 'نص' });
    site.articles.splice(site.articles.indexOf(fresh), 1);
    site.articles.splice(3, 0, fresh);
    expect(site.articles.map((article) => article.guid)).toEqual(['c', 'b', 'd', 'e', 'a', 'c']);

    const again = await pollAllSources(deps);
    expect(again.newItems).toBe(1);
    expect(await pollAllSources(deps)).toMatchObject({ newItems: 0 });
    const queued: string[] = [];
    for (;;) {
      const [delivery] = await store.claimDueDeliveries({ now: new Date(), limit: 1 });
      if (!delivery) break;
      queued.push(delivery.headline);
      await store.markDeliverySent(delivery.id, queued.length);
    }
    expect(queued.sort()).toEqual(['خبر a', 'خبر b', 'خبر c', 'خبر d', 'خبر e']);
  });

  it('clears a source’s error once it recovers', async () => {
    await addSource(deps, brokenUrl);
    brokenStatus = 503;
    await pollAllSources(deps);
    brokenStatus = 200;
    await pollAllSources(deps);
    const [source] = await store.listSources();
    expect(source?.lastError).toBeNull();
    expect(source?.consecutiveFailures).toBe(0);
  });
});
