import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { grantSendSlots } from '../../src/store/leases.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';

const pace = { spacingMs: 100, horizonMs: 250 };

describe('send slots from one budget (grantSendSlots)', () => {
  it.each([
    // nextSlot, count, now -> slots, nextSlot, retryInMs
    { nextSlot: 0, count: 2, now: 1000, slots: [1000, 1100], next: 1200, retry: 0 },
    { nextSlot: 1200, count: 5, now: 1000, slots: [1200], next: 1300, retry: 0 },
    { nextSlot: 1300, count: 1, now: 1000, slots: [], next: 1300, retry: 50 },
    { nextSlot: 900, count: 3, now: 1000, slots: [1000, 1100, 1200], next: 1300, retry: 0 },
    { nextSlot: 0, count: 9, now: 1000, slots: [1000, 1100, 1200], next: 1300, retry: 0 },
  ])('from $nextSlot, $count wanted at $now: $slots', ({ nextSlot, count, now, slots, next, retry }) => {
    expect(grantSendSlots(nextSlot, count, now, pace)).toEqual({ slots, nextSlot: next, retryInMs: retry });
  });

  it.each([
    // In batches of 3: none until three fit, then as many as fit.
    { nextSlot: 1100, count: 5, now: 1000, slots: [1100, 1200], retry: 0, batch: 2 },
    { nextSlot: 1100, count: 5, now: 1000, slots: [], retry: 50, batch: 3 },
    { nextSlot: 1100, count: 5, now: 1050, slots: [1100, 1200, 1300], retry: 0, batch: 3 },
    { nextSlot: 1100, count: 1, now: 1000, slots: [1100], retry: 0, batch: 3 },
  ])('in batches of $batch, from $nextSlot, $count wanted at $now: $slots', ({ nextSlot, count, now, slots, retry, batch }) => {
    const grant = grantSendSlots(nextSlot, count, now, { ...pace, batch });
    expect({ slots: grant.slots, retry: grant.retryInMs }).toEqual({ slots, retry });
  });
});

describe('coordination on SQLite (one process holds the file)', () => {
  let file: string;
  let store: Store;

  beforeEach(() => {
    file = path.join(makeTempDir(), 'nashra.sqlite');
    store = createSqliteStore(file);
  });
  afterEach(async () => {
    await store.close();
  });

  async function addSources(count: number) {
    const ids: number[] = [];
    for (let n = 0; n < count; n++) {
      const { source } = await store.addSource({ url: `https://s${n}.example/feed`, feedUrl: `https://s${n}.example/feed`, title: null });
      ids.push(source.id);
    }
    return ids;
  }

  it('names its process and says no other can share the store', () => {
    expect(store.ownerId).toMatch(/:\d+:[0-9a-f]{8}$/);
    expect(store.exclusive).toBe(true);
    expect(store.leaseMs).toBeGreaterThan(0);
  });

  it('hands a due source out once until its poll is recorded, then again when it is due', async () => {
    const [a, b, c] = await addSources(3);
    await store.recordPollOutcome(c!, { ok: true, nextPollAt: new Date(Date.now() + 3_600_000) });
    const now = new Date();
    expect((await store.claimDueSources(now, 10)).map((s) => s.id)).toEqual([a, b]);
    expect(await store.claimDueSources(now, 10)).toEqual([]);
    await store.recordPollOutcome(a!, { ok: true, nextPollAt: new Date(now.getTime() - 1) });
    expect((await store.claimDueSources(now, 10)).map((s) => s.id)).toEqual([a]);
  });

  it('claims at most the limit, the longest overdue first', async () => {
    const [a, b, c] = await addSources(3);
    const now = Date.now();
    await store.recordPollOutcome(a!, { ok: true, nextPollAt: new Date(now - 1000) });
    await store.recordPollOutcome(b!, { ok: false, error: 'x', nextPollAt: new Date(now - 3000) });
    await store.recordPollOutcome(c!, { ok: true, nextPollAt: new Date(now - 2000) });
    expect((await store.claimDueSources(new Date(now), 2)).map((s) => s.id)).toEqual([b, c]);
  });

  it('takes a lease back once it expired, unless it was renewed', async () => {
    const [a, b] = await addSources(2);
    const t = Date.now();
    expect(await store.claimDueSources(new Date(t), 1)).toHaveLength(1);
    expect((await store.claimDueSources(new Date(t + store.leaseMs + 1), 1)).map((s) => s.id)).toEqual([a]);
    expect((await store.claimDueSources(new Date(t + store.leaseMs + 1), 5)).map((s) => s.id)).toEqual([b]);
    await store.renewLeases(new Date(t + 2 * store.leaseMs));
    expect(await store.claimDueSources(new Date(t + 2 * store.leaseMs + 1), 5)).toEqual([]);
    expect(await store.claimDueSources(new Date(t + 3 * store.leaseMs + 1), 5)).toHaveLength(2);
  });

  it('frees the leases of a process that is gone: the next one on the file claims them at once', async () => {
    await addSources(2);
    expect(await store.claimDueSources(new Date(), 5)).toHaveLength(2);
    await store.close();
    store = createSqliteStore(file);
    expect(await store.claimDueSources(new Date(), 5)).toHaveLength(2);
  });

  it('hands out send slots spaced and within the horizon, and says when to ask again', async () => {
    const requests = Array.from({ length: 5 }, (_, n) => ({ chatId: n, chatGapMs: 3000 }));
    const first = await store.takeSendSlots(requests, new Date(10_000), pace);
    expect(first).toEqual({ slots: [10_000, 10_100, 10_200], retryInMs: 0 });
    const second = await store.takeSendSlots(requests, new Date(10_000), pace);
    expect(second).toEqual({ slots: [], retryInMs: 50 });
    expect((await store.takeSendSlots(requests.slice(0, 1), new Date(10_060), pace)).slots).toEqual([10_300]);
  });

  it('always consumes getUpdates itself, and never loses that', async () => {
    const lead = await store.leadUpdates();
    expect(lead).not.toBeNull();
    const lost = await Promise.race([lead!.lost.then(() => 'lost'), new Promise((resolve) => setTimeout(() => resolve('held'), 50))]);
    expect(lost).toBe('held');
    await lead!.release();
  });

  it('has no interrupted send of another process to take over while it runs', async () => {
    expect(await store.takeOverExpiredDeliveries(new Date(Date.now() + 10 * store.leaseMs))).toBe(0);
  });
});
