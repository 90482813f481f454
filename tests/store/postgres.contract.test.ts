import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore, StoreConnectError } from '../../src/store/postgres/index.js';
import type { DeliveryRecord, ItemToRecord, Store } from '../../src/store/store.js';
import { dropSchemas, freshSchemaName, postgresSuiteRuns, queryInSchema, testDatabaseUrl } from '../helpers/postgres.js';
import { describeStore } from './contract/index.js';
import { wordsQuery } from './index-query.js';

const available = await postgresSuiteRuns();

describe.runIf(available)('PostgreSQL', () => {
  // One schema per suite, made anew for each test (dropped, then created and migrated by the store
  // itself), so every test starts from an empty store whose ids start at 1; dropped at the end.
  const schema = freshSchemaName('contract');
  afterAll(() => dropSchemas([schema]));

  describeStore('postgres', {
    async create() {
      await dropSchemas([schema]);
      return {
        store: await openPostgresStore(testDatabaseUrl, { schema, maxConnections: 4 }),
        reopen: () => openPostgresStore(testDatabaseUrl, { schema, maxConnections: 4 }),
      };
    },
  });
});

describe.runIf(available)('several processes on one PostgreSQL store', () => {
  const schemas: string[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });
  afterAll(() => dropSchemas(schemas));

  /** `count` stores on one new schema, as `count` processes would open it. */
  async function processes(count: number, options: { leaseMs?: number } = {}): Promise<{ schema: string; all: Store[] }> {
    const schema = freshSchemaName('processes');
    schemas.push(schema);
    const all = await Promise.all(Array.from({ length: count }, () => openPostgresStore(testDatabaseUrl, { schema, maxConnections: 3, ...options })));
    stores.push(...all);
    return { schema, all };
  }

  function item(key: string): ItemToRecord {
    return { key, headline: `headline ${key}`, link: null, publishedAt: null, searchTitle: key, searchBody: '' };
  }

  it('migrates a new schema once when three processes start at once, each then working', async () => {
    const { schema, all } = await processes(3);
    const versions = await queryInSchema<{ version: number }>(schema, `SELECT version FROM schema_migrations ORDER BY version`);
    expect(versions.map((row) => row.version)).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    expect(versions.length).toBeGreaterThan(0);
    await all[0]!.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    for (const store of all) expect(await store.listSources()).toHaveLength(1);
    // A fourth, later, finds it up to date and migrates nothing.
    stores.push(await openPostgresStore(testDatabaseUrl, { schema }));
    expect(await queryInSchema(schema, `SELECT version FROM schema_migrations`)).toHaveLength(versions.length);
  });

  it('never lets two processes claim the same delivery, and keeps one send per chat in flight across them', async () => {
    const { all } = await processes(2);
    const [a, b] = all as [Store, Store];
    const { source } = await a.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    const chats = Array.from({ length: 40 }, (_, n) => -1000 - n);
    for (const id of chats) await a.upsertChat({ id, kind: 'channel', title: null, username: null });
    const now = new Date();
    const posts = (key: string): ItemToRecord => ({ ...item(key), deliveries: chats.map((chatId) => ({ chatId, threadId: null, notBefore: now, digest: false })) });
    await a.recordItems(source.id, [posts('1'), posts('2'), posts('3')]);

    const claimed: DeliveryRecord[] = [];
    for (let round = 0; round < 6; round++) {
      const [x, y] = await Promise.all([a.claimDueDeliveries({ now: new Date(), limit: 15 }), b.claimDueDeliveries({ now: new Date(), limit: 15 })]);
      const batch = [...x, ...y];
      // At most one per chat in flight: no chat twice in one round.
      expect(new Set(batch.map((d) => d.chatId)).size).toBe(batch.length);
      claimed.push(...batch);
      await Promise.all(batch.map((d, i) => (i % 2 === 0 ? a : b).markDeliverySent(d.id, d.id)));
    }
    const rest = [...(await a.claimDueDeliveries({ now: new Date(), limit: 200 })), ...(await b.claimDueDeliveries({ now: new Date(), limit: 200 }))];
    claimed.push(...rest);
    expect(new Set(claimed.map((d) => d.id)).size).toBe(claimed.length);
    // Every post was claimed once, each chat's in order.
    const sent = await a.countDeliveries();
    expect(sent.sent + sent.sending).toBe(chats.length * 3);
    for (const chatId of chats) {
      const ids = claimed.filter((d) => d.chatId === chatId).map((d) => d.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(ids).toHaveLength(3);
    }
  });

  it('splits due sources between processes, and takes over a lease only once it expired', async () => {
    const { all } = await processes(2, { leaseMs: 1000 });
    const [a, b] = all as [Store, Store];
    expect(a.exclusive).toBe(false);
    expect(a.ownerId).not.toBe(b.ownerId);
    for (let n = 0; n < 6; n++) await a.addSource({ url: `s${n}`, feedUrl: `s${n}`, title: null });
    const t = Date.now();
    const [x, y] = await Promise.all([a.claimDueSources(new Date(t), 4), b.claimDueSources(new Date(t), 4)]);
    expect(x.length + y.length).toBe(6);
    expect(new Set([...x, ...y].map((s) => s.id)).size).toBe(6);
    // b cannot take a's sources while a's lease runs, nor after a renewed it; its own, which it
    // did not renew, are due again once their lease ran out.
    expect(await b.claimDueSources(new Date(t + 500), 10)).toEqual([]);
    await a.renewLeases(new Date(t + 900));
    const ids = (sources: Array<{ id: number }>) => sources.map((s) => s.id).sort();
    expect(ids(await b.claimDueSources(new Date(t + 1500), 10))).toEqual(ids(y));
    // a stopped renewing (it died): its sources are b's once the lease ran out.
    const taken = await b.claimDueSources(new Date(t + 1901), 10);
    expect(ids(taken)).toEqual(ids(x));
    // Recording the poll's outcome frees the source.
    await b.recordPollOutcome(taken[0]!.id, { ok: true, nextPollAt: new Date(t) });
    expect((await a.claimDueSources(new Date(t + 1902), 10)).map((s) => s.id)).toEqual([taken[0]!.id]);
  });

  it('leaves another live process’s sends alone and takes over those of one whose lease ran out', async () => {
    const { all } = await processes(2, { leaseMs: 1000 });
    const [a, b] = all as [Store, Store];
    const { source } = await a.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await a.upsertChat({ id: -1, kind: 'channel', title: null, username: null });
    await a.recordItems(source.id, [{ ...item('1'), deliveries: [{ chatId: -1, threadId: null, notBefore: new Date(0), digest: false }] }]);
    const t = Date.now();
    expect(await a.claimDueDeliveries({ now: new Date(t), limit: 5 })).toHaveLength(1);
    // b starting now must not send a's post again.
    expect(await b.requeueInterruptedDeliveries()).toBe(0);
    expect(await b.takeOverExpiredDeliveries(new Date(t + 500))).toBe(0);
    await a.renewLeases(new Date(t + 800));
    expect(await b.takeOverExpiredDeliveries(new Date(t + 1500))).toBe(0);
    expect(await b.takeOverExpiredDeliveries(new Date(t + 1801))).toBe(1);
    expect(await b.claimDueDeliveries({ now: new Date(t + 1802), limit: 5 })).toMatchObject([{ chatId: -1, attempts: 2 }]);
  });

  it('hands out send slots from one budget across processes, and holds a chat until its turn', async () => {
    const { all } = await processes(2);
    const [a, b] = all as [Store, Store];
    const pace = { spacingMs: 100, horizonMs: 250 };
    const { source } = await a.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    for (const id of [-1, -2]) await a.upsertChat({ id, kind: 'channel', title: null, username: null });
    const now = Date.now();
    const x = await a.takeSendSlots([{ chatId: -1, chatGapMs: 3000 }, { chatId: -2, chatGapMs: 3000 }], new Date(now), pace);
    const y = await b.takeSendSlots([{ chatId: -2, chatGapMs: 3000 }, { chatId: -1, chatGapMs: 3000 }], new Date(now), pace);
    expect(x).toEqual({ slots: [now, now + 100], retryInMs: 0 });
    expect(y).toEqual({ slots: [now + 200], retryInMs: 0 });
    expect(await b.takeSendSlots([{ chatId: -1, chatGapMs: 0 }], new Date(now), pace)).toEqual({ slots: [], retryInMs: 50 });
    // Chat -1's next turn is 3 s after its slot, chat -2's after its later one: neither is claimed before.
    await a.recordItems(source.id, [{ ...item('1'), deliveries: [-1, -2].map((chatId) => ({ chatId, threadId: null, notBefore: new Date(0), digest: false })) }]);
    expect(await b.claimDueDeliveries({ now: new Date(now + 2000), limit: 5 })).toEqual([]);
    expect((await b.claimDueDeliveries({ now: new Date(now + 3001), limit: 5 })).map((d) => d.chatId)).toEqual([-1]);
    expect((await a.claimDueDeliveries({ now: new Date(now + 3201), limit: 5 })).map((d) => d.chatId)).toEqual([-2]);
  });

  it('lets one process at a time consume getUpdates, and another take over when it lets go or its connection dies', async () => {
    const { schema, all } = await processes(2);
    const [a, b] = all as [Store, Store];
    const lead = await a.leadUpdates();
    expect(lead).not.toBeNull();
    expect(await b.leadUpdates()).toBeNull();
    await lead!.release();
    const second = await b.leadUpdates();
    expect(second).not.toBeNull();
    expect(await a.leadUpdates()).toBeNull();
    // The holder's connection is cut (its process died, or the server dropped it): it hears so, and the lock is free.
    // Only this schema's lease in this database: other suites (and replicas) hold theirs at the same time.
    await queryInSchema(
      schema,
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7302 AND objid = hashtext(current_schema())::oid
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND granted`,
    );
    await second!.lost;
    const third = await a.leadUpdates();
    expect(third).not.toBeNull();
    await third!.release();
    // Another schema is another deployment: its own getUpdates lease.
    const { all: others } = await processes(1);
    const elsewhere = await others[0]!.leadUpdates();
    const here = await a.leadUpdates();
    expect(elsewhere).not.toBeNull();
    expect(here).not.toBeNull();
    await elsewhere!.release();
    await here!.release();
  });

  it('shows a /manage question asked through one process to another, and lets one of them close it', async () => {
    const { all } = await processes(2);
    const [a, b] = all as [Store, Store];
    const now = new Date();
    await a.askForInput(7, { chatId: -1003000000001, list: 'exclude' }, new Date(now.getTime() + 300_000), now);
    expect(await b.openInput(7, now)).toEqual({ chatId: -1003000000001, list: 'exclude' });
    // Two messages of the user reach both processes at once: one answers the question, the other is a message.
    const closed = await Promise.all([a.closeInput(7), b.closeInput(7)]);
    expect(closed.sort()).toEqual([false, true]);
    expect(await a.openInput(7, now)).toBeNull();
  });

  it('writes items recorded by one process during another’s index rebuild to both indexes', async () => {
    const { all } = await processes(2);
    const [a, b] = all as [Store, Store];
    const { source } = await a.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await a.recordItems(source.id, [item('old')]);
    const rebuild = await a.beginIndexRebuild(9);
    await b.recordItems(source.id, [item('fresh')]);
    const texts = await a.listItemTexts(0, rebuild.untilId, 10);
    await a.writeIndexBatch(texts.map((text) => ({ id: text.id, title: 'rebuilt', body: '' })), rebuild.untilId);
    await a.finishIndexRebuild();
    expect((await b.searchItems(wordsQuery('fresh'), { limit: 5 })).map((hit) => hit.headline)).toEqual(['headline fresh']);
    expect((await b.searchItems(wordsQuery('rebuilt'), { limit: 5 })).map((hit) => hit.headline)).toEqual(['headline old']);
    expect(await b.getIndexState()).toEqual({ version: 9, rebuild: null });
  });

  it('says where it could not connect without the password, and fails fast', async () => {
    const url = new URL(testDatabaseUrl);
    url.password = 'pa55-w0rd';
    url.port = '1';
    const error = await openPostgresStore(url.toString()).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(StoreConnectError);
    expect(String((error as Error).message)).toMatch(/^cannot connect to PostgreSQL at postgres:\/\/\w+@127\.0\.0\.1:1\//);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('pa55-w0rd');
  });
});
