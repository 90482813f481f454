import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSource } from '../../src/pipeline/add-source.js';
import { createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import { createSourcePoller } from '../../src/pipeline/poll-all-sources.js';
import type { PipelineDeps } from '../../src/pipeline/ports.js';
import { createFetcher, readSource, type Fetcher } from '../../src/sources/index.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { FeedFarm, type FarmFeed } from '../helpers/feed-farm.js';

describe('polling the due sources through leases', () => {
  let farm: FeedFarm;
  let store: Store;
  let fetcher: Fetcher;
  let deps: PipelineDeps;
  let clock: number;
  const claims: number[] = [];
  /** Run after each claim (a test moves the clock there). */
  let afterClaim: () => void = () => undefined;

  beforeEach(async () => {
    farm = await new FeedFarm().start();
    const opened = createSqliteStore(path.join(makeTempDir(), 'p.sqlite'));
    claims.length = 0;
    afterClaim = () => undefined;
    // The store as the poller sees it, counting its claims (how many sources each one got).
    store = {
      ...opened,
      async claimDueSources(now, limit, dueBy) {
        const claimed = await opened.claimDueSources(now, limit, dueBy);
        claims.push(claimed.length);
        afterClaim();
        return claimed;
      },
    };
    fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'], timeoutMs: 3000 });
    clock = Date.now();
    deps = {
      store,
      readSource: (url, options) => readSource(fetcher, url, options),
      logger: pino({ level: 'silent' }),
      cpu: createInProcessCpu(),
      now: () => new Date(clock),
    };
  });

  afterEach(async () => {
    await fetcher.close();
    await store.close();
    await farm.close();
  });

  async function addFeeds(count: number, options: Partial<FarmFeed> = {}): Promise<FarmFeed[]> {
    const feeds: FarmFeed[] = [];
    for (let i = 0; i < count; i++) {
      const feed = farm.addFeed(`/f${i}.xml`, { count: 2, ...options });
      await addSource(deps, feed.url);
      feeds.push(feed);
    }
    // Every source is due again an hour from now (the clock moves there).
    clock += 3_600_000;
    return feeds;
  }

  it('polls every due source once, claiming more as polls finish', async () => {
    const feeds = await addFeeds(10, { delayMs: 30 });
    const before = feeds.map((feed) => feed.requests);
    const poller = createSourcePoller(deps, { concurrency: 2, perHost: 2 });
    const summary = await poller.pollDue();
    expect(summary).toMatchObject({ sources: 10, failed: 0, busy: 0 });
    expect(feeds.map((feed, i) => feed.requests - before[i]!)).toEqual(Array(10).fill(1));
    // Two at a time: the first claim takes two, later ones top up as polls end.
    expect(claims[0]).toBe(2);
    expect(claims.length).toBeGreaterThan(5);
    expect(claims.reduce((sum, n) => sum + n, 0)).toBe(10);
  });

  it('lets two pollers on one store share a cycle without polling any source twice', async () => {
    const feeds = await addFeeds(12, { delayMs: 20 });
    const before = feeds.map((feed) => feed.requests);
    const first = createSourcePoller(deps, { concurrency: 3, perHost: 3 });
    const second = createSourcePoller(deps, { concurrency: 3, perHost: 3 });
    const [a, b] = await Promise.all([first.pollDue(), second.pollDue()]);
    expect(a.sources + b.sources).toBe(12);
    expect(a.sources).toBeGreaterThan(0);
    expect(b.sources).toBeGreaterThan(0);
    expect(feeds.map((feed, i) => feed.requests - before[i]!)).toEqual(Array(12).fill(1));
  });

  it('does not poll a source another poller holds until its lease expires', async () => {
    const [feed] = await addFeeds(1);
    const held = await store.claimDueSources(new Date(clock), 1);
    expect(held).toHaveLength(1);
    const before = feed!.requests;
    const poller = createSourcePoller(deps, { concurrency: 2, perHost: 2 });
    expect(await poller.pollDue()).toMatchObject({ sources: 0 });
    expect(feed!.requests).toBe(before);
    clock += store.leaseMs + 1;
    expect(await poller.pollDue()).toMatchObject({ sources: 1, failed: 0 });
    expect(feed!.requests).toBe(before + 1);
  });

  it('ends once the sources due at its start were polled, though they fall due again meanwhile', async () => {
    const feeds = await addFeeds(4, { delayMs: 20 });
    const before = feeds.map((feed) => feed.requests);
    // Two hours pass at every claim: each source polled in this cycle is due again at the next claim.
    afterClaim = () => void (clock += 7_200_000);
    const poller = createSourcePoller(deps, { concurrency: 1, perHost: 1 });
    const timeout = new Promise<'still polling'>((resolve) => setTimeout(() => resolve('still polling'), 5000).unref());
    const summary = await Promise.race([poller.pollDue(), timeout]);
    expect(summary).toMatchObject({ sources: 4, failed: 0 });
    expect(feeds.map((feed, i) => feed.requests - before[i]!)).toEqual([1, 1, 1, 1]);
    // The next cycle takes them again.
    expect(await poller.pollDue()).toMatchObject({ sources: 4 });
  });
});
