import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import { reindexItems } from '../../src/pipeline/reindex-items.js';
import { grantSendSlots } from '../../src/store/leases.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { dropSchemas, freshSchemaName, postgresSuiteRuns, queryInSchema, testDatabaseUrl } from '../helpers/postgres.js';

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

  it('rebuilds the search index itself whenever asked: no other process can hold that right', async () => {
    const first = await store.holdIndexRebuild();
    expect(first).not.toBeNull();
    expect(await store.holdIndexRebuild()).not.toBeNull();
    await first!.release();
  });

  it('has no interrupted send of another process to take over while it runs', async () => {
    expect(await store.takeOverExpiredDeliveries(new Date(Date.now() + 10 * store.leaseMs))).toBe(0);
  });
});

const postgresRuns = await postgresSuiteRuns('the coordination suite on PostgreSQL');

describe.runIf(postgresRuns)('coordination on PostgreSQL (several processes, one database)', () => {
  const schema = freshSchemaName('coord');
  const open: Store[] = [];
  let a: Store;
  let b: Store;

  /** A store as one process opens it: its own pool, owner id and leases. */
  async function process(options: { leaseMs?: number } = {}): Promise<Store> {
    const store = await openPostgresStore(testDatabaseUrl, { schema, maxConnections: 3, ...options });
    open.push(store);
    return store;
  }

  beforeEach(async () => {
    await dropSchemas([schema]);
    a = await process();
    b = await process();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });
  afterAll(() => dropSchemas([schema]));

  async function addSources(count: number): Promise<number[]> {
    const ids: number[] = [];
    for (let n = 0; n < count; n++) {
      const { source } = await a.addSource({ url: `https://s${n}.example/feed`, feedUrl: `https://s${n}.example/feed`, title: null });
      ids.push(source.id);
    }
    return ids;
  }

  /** One item of a new source queued for each of `chatIds`. */
  async function queuePosts(chatIds: number[]): Promise<void> {
    const { source } = await a.addSource({ url: `https://q${chatIds[0]}.example/feed`, feedUrl: `https://q${chatIds[0]}.example/feed`, title: 'Q' });
    for (const chatId of chatIds) await a.upsertChat({ id: chatId, kind: 'channel', title: `c${chatId}`, username: null });
    await a.recordItems(source.id, [
      {
        key: 'k',
        headline: 'h',
        link: null,
        publishedAt: null,
        searchTitle: 'h',
        searchBody: '',
        deliveries: chatIds.map((chatId) => ({ chatId, threadId: null, notBefore: new Date(0), digest: false })),
      },
    ]);
  }

  it('gives each process its own owner id, none exclusive', () => {
    expect(a.ownerId).not.toBe(b.ownerId);
    expect([a.exclusive, b.exclusive]).toEqual([false, false]);
  });

  it('splits the due sources between processes claiming at once, never one source to both', async () => {
    const ids = await addSources(40);
    const now = new Date();
    const rounds = await Promise.all([a, b, a, b].map((store) => store.claimDueSources(now, 15)));
    const claimed = rounds.flat().map((source) => source.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort((x, y) => x - y)).toEqual(ids);
  });

  it("takes over another process's source only once its lease expired, and never a renewed one", async () => {
    const [s1, s2] = await addSources(2);
    const t = Date.now();
    expect((await a.claimDueSources(new Date(t), 1)).map((s) => s.id)).toEqual([s1]);
    expect((await b.claimDueSources(new Date(t), 5)).map((s) => s.id)).toEqual([s2]);
    await a.renewLeases(new Date(t + a.leaseMs - 1));
    await b.renewLeases(new Date(t + a.leaseMs - 1));
    expect(await b.claimDueSources(new Date(t + a.leaseMs + 1), 5)).toEqual([]);
    // a stopped renewing (it died); b's own lease is renewed again.
    await b.renewLeases(new Date(t + 2 * a.leaseMs - 1));
    expect((await b.claimDueSources(new Date(t + 2 * a.leaseMs), 5)).map((s) => s.id)).toEqual([s1]);
    // The poll's outcome releases the lease: due again, it is anyone's.
    await b.recordPollOutcome(s1!, { ok: true, nextPollAt: new Date(t) });
    expect((await a.claimDueSources(new Date(t + 2 * a.leaseMs), 5)).map((s) => s.id)).toEqual([s1]);
  });

  it("never takes a live process's post in flight; takes it over once that process's lease ran out", async () => {
    await queuePosts([-11, -12]);
    const sending = await a.claimDueDeliveries({ now: new Date(), limit: 1 });
    expect(sending).toHaveLength(1);
    // b starting up, and b's keeper: a's send is a's.
    expect(await b.requeueInterruptedDeliveries()).toBe(0);
    expect(await b.takeOverExpiredDeliveries(new Date())).toBe(0);
    await a.renewLeases(new Date(Date.now() + a.leaseMs));
    expect(await b.takeOverExpiredDeliveries(new Date(Date.now() + a.leaseMs + 1))).toBe(0);
    // a died: nobody renews, the lease runs out.
    expect(await b.takeOverExpiredDeliveries(new Date(Date.now() + 3 * a.leaseMs))).toBe(1);
    const again = await b.claimDueDeliveries({ now: new Date(), limit: 5 });
    expect(again.map((delivery) => delivery.id)).toContain(sending[0]!.id);
  });

  it('claims one chat’s post for one process only, both claiming at once', async () => {
    await queuePosts(Array.from({ length: 30 }, (_, n) => -100 - n));
    const now = new Date();
    const rounds = await Promise.all([a, b, a, b].map((store) => store.claimDueDeliveries({ now, limit: 10 })));
    const ids = rounds.flat().map((delivery) => delivery.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(30);
  });

  it('shares one send budget: slots of two processes never overlap, and a chat waits its turn in every process', async () => {
    await queuePosts([-21, -22]);
    const pace = { spacingMs: 100, horizonMs: 1000 };
    const now = Date.now();
    const first = await a.takeSendSlots([{ chatId: -21, chatGapMs: 60_000 }, { chatId: -99, chatGapMs: 1 }], new Date(now), pace);
    const second = await b.takeSendSlots([{ chatId: -22, chatGapMs: 1 }], new Date(now), pace);
    expect(first.slots).toEqual([now, now + 100]);
    expect(second.slots).toEqual([now + 200]);
    // -21's next turn is a minute after its slot: no process claims its post before that.
    const claimed = await b.claimDueDeliveries({ now: new Date(now + 1000), limit: 5 });
    expect(claimed.map((delivery) => delivery.chatId)).toEqual([-22]);
    expect((await a.claimDueDeliveries({ now: new Date(now + 61_000), limit: 5 })).map((d) => d.chatId)).toEqual([-21]);
  });

  it('lets one process consume getUpdates; another takes over once its connection is gone', async () => {
    const lead = await a.leadUpdates();
    expect(lead).not.toBeNull();
    expect(await b.leadUpdates()).toBeNull();
    // The holder's connection is cut, as when its process is killed.
    const [row] = await queryInSchema<{ pid: number }>(
      schema,
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = hashtext($1)::oid AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [schema],
    );
    expect(row).toBeDefined();
    await queryInSchema(schema, 'SELECT pg_terminate_backend($1)', [row!.pid]);
    await lead!.lost;
    const next = await b.leadUpdates();
    expect(next).not.toBeNull();
    expect(await a.leadUpdates()).toBeNull();
    await next!.release();
    const third = await a.leadUpdates();
    expect(third).not.toBeNull();
    await third!.release();
  });

  it('lets one process rebuild the search index at a time; another hears so and rebuilds once it is free', async () => {
    await queuePosts([-31]);
    const deps = (store: Store) => ({ store, cpu: createInProcessCpu(), logger: pino({ level: 'silent' }) });
    const held = await a.holdIndexRebuild();
    expect(held).not.toBeNull();
    expect(await b.holdIndexRebuild()).toBeNull();
    expect(await reindexItems(deps(b), { force: true })).toEqual({ rebuilt: false, reason: 'elsewhere', done: 0 });
    expect((await b.getIndexState()).rebuild).toBeNull();
    await held!.release();
    expect(await reindexItems(deps(b), { force: true })).toMatchObject({ rebuilt: true, items: 1 });
    // The right was given back with the rebuild done.
    const again = await a.holdIndexRebuild();
    expect(again).not.toBeNull();
    await again!.release();
  });
});
