import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreInUseError } from '../../src/store/open-store.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { NewItem, Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { wordsQuery } from './index-query.js';
import { recordAndQueuePosts } from '../../src/pipeline/record-items.js';

function item(key: string, headline = `headline ${key}`, searchBody = ''): NewItem {
  return { key, headline, link: `https://example.com/${key}`, publishedAt: null, searchTitle: headline.toLowerCase(), searchBody };
}

describe('the SQLite store', () => {
  let file: string;
  let store: Store;

  beforeEach(() => {
    file = path.join(makeTempDir(), 'nested', 'folder', 'nashra.sqlite');
    store = createSqliteStore(file);
  });
  afterEach(async () => {
    await store.close();
  });

  it('creates its folder and keeps data across a reopen', async () => {
    const { source } = await store.addSource({ url: 'https://a.example/feed', feedUrl: 'https://a.example/feed', title: 'A' });
    await store.close();
    store = createSqliteStore(file);
    expect((await store.getSource(source.id))?.title).toBe('A');
  });

  it('adds a source once: the same URL twice changes nothing', async () => {
    const first = await store.addSource({ url: 'https://a.example/feed', feedUrl: 'https://a.example/feed', title: 'A' });
    const second = await store.addSource({ url: 'https://a.example/feed', feedUrl: 'https://a.example/feed', title: 'B' });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.source.id).toBe(first.source.id);
    expect(await store.listSources()).toHaveLength(1);
  });

  it('stores an item once per key, and queues one delivery per subscribed chat only for new items', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    await store.upsertChat({ id: -200, kind: 'supergroup', title: 'G', username: null });
    await store.subscribe(-100, 'all', 1);
    await store.subscribe(-200, [source.id], 2);

    const first = await recordAndQueuePosts(store, source.id, [item('a'), item('b')]);
    expect(first.newItemIds).toHaveLength(2);
    expect(first.queuedDeliveries).toBe(4);

    const again = await recordAndQueuePosts(store, source.id, [item('a'), item('b'), item('c')]);
    expect(again.newItemIds).toHaveLength(1);
    expect(again.queuedDeliveries).toBe(2);
    expect((await store.countDeliveries()).pending).toBe(6);
  });

  it('stores the items of a newly added source without queuing posts', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    await store.subscribe(-100, 'all', 1);
    const result = await store.recordItems(source.id, [item('a')]);
    expect(result.newItemIds).toHaveLength(1);
    expect(result.queuedDeliveries).toBe(0);
    // The key is now known: a later poll does not post it.
    expect((await recordAndQueuePosts(store, source.id, [item('a')])).queuedDeliveries).toBe(0);
  });

  it('claims at most one delivery per chat, oldest first, and keeps the order within a chat', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    await store.upsertChat({ id: -200, kind: 'channel', title: 'D', username: null });
    await store.subscribe(-100, 'all', 1);
    await store.subscribe(-200, 'all', 1);
    await recordAndQueuePosts(store, source.id, [item('1'), item('2')]);

    const firstRound = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(firstRound.map((d) => [d.chatId, d.headline])).toEqual([
      [-100, 'headline 1'],
      [-200, 'headline 1'],
    ]);
    // While a chat has a post in flight, its next post waits.
    expect(await store.claimDueDeliveries({ now: new Date(), limit: 10 })).toHaveLength(0);
    await store.markDeliverySent(firstRound[0]!.id, 11);
    const next = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(next.map((d) => [d.chatId, d.headline])).toEqual([[-100, 'headline 2']]);
  });

  it('holds a retried delivery until its time, and requeues deliveries interrupted by a crash', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    await store.subscribe(-100, 'all', 1);
    await recordAndQueuePosts(store, source.id, [item('1')]);
    const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 1 });
    const later = new Date(Date.now() + 60_000);
    await store.markDeliveryRetry(claimed!.id, later, '429');
    expect(await store.claimDueDeliveries({ now: new Date(), limit: 1 })).toHaveLength(0);
    expect((await store.nextDeliveryDueAt())?.getTime()).toBe(later.getTime());
    const [reclaimed] = await store.claimDueDeliveries({ now: new Date(later.getTime() + 1), limit: 1 });
    expect(reclaimed?.attempts).toBe(2);

    // A crash leaves it in `sending`; the next start sends it again rather than losing it.
    expect(await store.requeueInterruptedDeliveries()).toBe(1);
    expect((await store.countDeliveries()).pending).toBe(1);
  });

  it('pauses a chat that refuses posts, and resumes it when an admin subscribes again', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    await store.subscribe(-100, 'all', 1);
    await recordAndQueuePosts(store, source.id, [item('1')]);
    await store.pauseChat(-100, 'Forbidden: bot was kicked');
    expect((await store.countDeliveries()).paused).toBe(1);
    expect((await store.listSubscriptions(-100))[0]?.paused).toBe(true);
    expect((await recordAndQueuePosts(store, source.id, [item('2')])).queuedDeliveries).toBe(0);

    await store.subscribe(-100, 'all', 1);
    expect((await store.countDeliveries()).pending).toBe(1);
    expect((await store.listSubscriptions(-100))[0]?.paused).toBe(false);
  });

  it('moves subscriptions and pending posts when a group becomes a supergroup', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await store.upsertChat({ id: -5, kind: 'group', title: 'G', username: null });
    await store.subscribe(-5, [source.id], 1);
    await recordAndQueuePosts(store, source.id, [item('1')]);
    await store.migrateChat(-5, -1005);
    expect(await store.listSubscriptions(-5)).toHaveLength(0);
    expect((await store.listSubscriptions(-1005))[0]?.sourceId).toBe(source.id);
    const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 1 });
    expect(claimed?.chatId).toBe(-1005);
  });

  it('searches by quoted words and prefixes, so FTS5 syntax in a query is only text', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await store.recordItems(
      source.id,
      [item('1', 'خسائر فادحة', 'معارك كبيرة'), item('2', 'NEAR AND OR', 'plain words'), item('3', 'other', 'nothing')],
    );
    expect((await store.searchItems(wordsQuery('خسائر'), { limit: 5 })).map((i) => i.headline)).toEqual(['خسائر فادحة']);
    expect((await store.searchItems(wordsQuery('معار'), { limit: 5 })).map((i) => i.headline)).toEqual(['خسائر فادحة']);
    for (const hostile of [['near('], ['"'], ['and'], ['*'], ['^x'], ['a"b'], ['x'.repeat(3000)]]) {
      await expect(store.searchItems(wordsQuery(...hostile), { limit: 5 })).resolves.toBeInstanceOf(Array);
    }
    expect((await store.searchItems(wordsQuery('near', 'and'), { limit: 5 })).map((i) => i.headline)).toEqual(['NEAR AND OR']);
    // No words: the newest items, as a listing by filters alone.
    expect((await store.searchItems(wordsQuery(), { limit: 5 })).map((i) => i.headline)).toEqual(['other', 'NEAR AND OR', 'خسائر فادحة']);
  });

  it('counts a source’s items as they are stored', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await store.recordItems(source.id, [item('a'), item('b')]);
    await store.recordItems(source.id, [item('b'), item('c')]);
    expect((await store.getSource(source.id))?.itemCount).toBe(3);
  });

  it('tells when the oldest delivery still waiting was queued', async () => {
    expect(await store.oldestWaitingDeliveryAt()).toBeNull();
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    await store.subscribe(-100, 'all', 1);
    const before = Date.now();
    await recordAndQueuePosts(store, source.id, [item('1')]);
    const oldest = await store.oldestWaitingDeliveryAt();
    expect(oldest!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 1 });
    await store.markDeliverySent(claimed!.id, 1);
    expect(await store.oldestWaitingDeliveryAt()).toBeNull();
  });

  it('ranks only the newest 2,000 matches of a very common word, so its cost does not grow with the archive', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    const items: NewItem[] = Array.from({ length: 2100 }, (_, i) => ({
      ...item(`k${i}`, i === 5 ? 'common common common' : `common ${i}`),
      // The oldest item is the best match by bm25 (the word three times in a short title).
      searchTitle: i === 5 ? 'common common common' : `common n${i}`,
    }));
    await store.recordItems(source.id, items);
    const hits = await store.searchItems({ terms: [{ surface: 'common', stem: 'common', prefix: false }], phrases: [], excluded: [] }, { limit: 3, offset: 0 });
    expect(hits).toHaveLength(3);
    // Item 5 is older than the newest 2,000 matches: it is not ranked, the newest ones are.
    expect(hits.map((hit) => hit.headline)).not.toContain('common common common');
  });

  it('tells which entry keys a source already has, for any number of keys', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    const { source: other } = await store.addSource({ url: 'v', feedUrl: 'v', title: 'T' });
    await store.recordItems(source.id, [item('a'), item("it's \"quoted\""), item('k2500')]);
    await store.recordItems(other.id, [item('b')]);
    const keys = ['a', 'b', "it's \"quoted\"", ...Array.from({ length: 3000 }, (_, i) => `k${i}`)];
    expect([...(await store.findKnownItemKeys(source.id, keys))].sort()).toEqual(['a', "it's \"quoted\"", 'k2500'].sort());
    expect(await store.findKnownItemKeys(source.id, [])).toEqual(new Set());
  });

  it('keeps each source’s schedule: due sources only, failures counted, paused and retired ones left out', async () => {
    const { source: a } = await store.addSource({ url: 'a', feedUrl: 'a', title: 'A' });
    const { source: b } = await store.addSource({ url: 'b', feedUrl: 'b', title: 'B' });
    const { source: c } = await store.addSource({ url: 'c', feedUrl: 'c', title: 'C' });
    const now = new Date();
    const later = new Date(now.getTime() + 60_000);
    expect((await store.listDueSources(now, 10)).map((s) => s.id)).toEqual([a.id, b.id, c.id]);

    await store.recordPollOutcome(a.id, { ok: true, nextPollAt: later, bodyHash: 'h1', format: 'rss', ttlMinutes: 15, newItems: 2 });
    await store.recordPollOutcome(b.id, { ok: false, error: 'HTTP 500', nextPollAt: later });
    await store.recordPollOutcome(c.id, { ok: false, error: 'HTTP 410', state: 'retired' });
    expect(await store.listDueSources(now, 10)).toEqual([]);
    expect((await store.listDueSources(later, 10)).map((s) => s.id)).toEqual([a.id, b.id]);

    const polledA = (await store.getSource(a.id))!;
    expect(polledA).toMatchObject({ bodyHash: 'h1', format: 'rss', ttlMinutes: 15, state: 'active' });
    expect(polledA.lastNewItemAt).not.toBeNull();
    expect(polledA.nextPollAt.getTime()).toBe(later.getTime());
    // An unparsed (unchanged) poll keeps what the last parse said.
    await store.recordPollOutcome(a.id, { ok: true, nextPollAt: later });
    expect((await store.getSource(a.id))?.ttlMinutes).toBe(15);
    expect((await store.getSource(b.id))).toMatchObject({ consecutiveFailures: 1, lastError: 'HTTP 500' });
    expect((await store.getSource(c.id))).toMatchObject({ state: 'retired', stateReason: 'HTTP 410' });

    // A bot admin resumes it: failures cleared, due at once.
    await store.setSourceState(c.id, 'active', null);
    expect((await store.getSource(c.id))).toMatchObject({ state: 'active', consecutiveFailures: 1 - 1, stateReason: null });
    expect((await store.listDueSources(now, 10)).map((s) => s.id)).toEqual([c.id]);
  });

  it('moves the next poll sooner when an admin sets a shorter interval, never later', async () => {
    const { source } = await store.addSource({ url: 'a', feedUrl: 'a', title: 'A' });
    const inADay = new Date(Date.now() + 86_400_000);
    await store.recordPollOutcome(source.id, { ok: true, nextPollAt: inADay });
    await store.setSourceInterval(source.id, 600);
    const after = (await store.getSource(source.id))!;
    expect(after.intervalSeconds).toBe(600);
    expect(after.nextPollAt.getTime()).toBeLessThanOrEqual(Date.now() + 600_000);
    await store.setSourceInterval(source.id, null);
    expect((await store.getSource(source.id))?.intervalSeconds).toBeNull();
    expect(await store.setSourceInterval(999, 60)).toBe(false);
  });

  it('removes a source with its items and their index entries', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await store.recordItems(source.id, [item('1', 'خسائر')]);
    expect(await store.removeSource(source.id)).toBe(true);
    expect(await store.searchItems(wordsQuery('خسائر'), { limit: 5 })).toEqual([]);
    expect(await store.latestItems(5)).toEqual([]);
    expect(await store.removeSource(source.id)).toBe(false);
  });
});

describe('the SQLite store file lock', () => {
  it('refuses a second opening of the same file while the first is open, and allows it after close', async () => {
    const file = path.join(makeTempDir(), 'locked.sqlite');
    const first = createSqliteStore(file);
    expect(() => createSqliteStore(file)).toThrow(StoreInUseError);
    expect(() => createSqliteStore(file)).toThrow(/in use by another nashra process/);
    await first.close();
    const second = createSqliteStore(file);
    await second.close();
  });
});
