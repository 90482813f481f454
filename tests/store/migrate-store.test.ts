/**
 * `npm run migrate-store`: a SQLite store copied into PostgreSQL keeps its sources, items (and their
 * search), chats and settings, subscriptions and outbox; a copy that stopped goes on where it was;
 * a target holding anything else is refused; the command never prints the password.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyStore, MigrateRefusedError, type CopyStoreOptions } from '../../src/migrate-store.js';
import { createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import { reindexItems } from '../../src/pipeline/reindex-items.js';
import { openSqliteDump } from '../../src/store/sqlite/dump.js';
import { openPostgresLoad } from '../../src/store/postgres/load.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { copiedTables } from '../../src/store/dump.js';
import type { NewItem, PlannedDelivery, Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { dropSchemas, freshSchemaName, postgresSuiteRuns, queryInSchema, testDatabaseUrl } from '../helpers/postgres.js';
import { wordsQuery } from './index-query.js';

const available = await postgresSuiteRuns('the migrate-store test (SQLite to PostgreSQL)');

const post = (chatId: number): PlannedDelivery => ({ chatId, threadId: null, notBefore: new Date(0), digest: false });

function item(key: string, headline: string, body: string | undefined, deliveries: PlannedDelivery[] = []): NewItem & { deliveries: PlannedDelivery[] } {
  return {
    key,
    headline,
    link: `https://example.com/${key}`,
    publishedAt: `2026-01-0${key.length}T10:00:00.000Z`,
    searchTitle: headline.toLowerCase(),
    searchBody: body?.toLowerCase() ?? '',
    ...(body === undefined ? {} : { bodyText: body, textVersion: 2 }),
    summary: `summary of ${key}`,
    titleHash: `hash-${key}`,
    deliveries,
  };
}

/**
 * A SQLite store with a bit of everything: two sources (one with learned signature lines and a
 * schedule), items with and without body text, chats with settings, subscriptions (all, named, in a
 * topic), and deliveries sent (with a message id), pending, being sent, paused and failed.
 */
async function fillSqlite(file: string): Promise<void> {
  const store = createSqliteStore(file);
  try {
    const a = (await store.addSource({ url: 'https://a.example/feed', feedUrl: 'https://a.example/feed', title: 'A' })).source.id;
    const b = (await store.addSource({ url: 'https://b.example/', feedUrl: 'https://b.example/rss', title: 'B' })).source.id;
    await store.setSourceSignatures(a, ['تابعونا على تلغرام']);
    await store.recordPollOutcome(b, { ok: false, error: 'HTTP 500', nextPollAt: new Date(Date.UTC(2030, 0, 1)) });
    for (const [id, kind] of [[-1001, 'channel'], [-1002, 'supergroup'], [-1003, 'channel'], [-1004, 'group']] as const) {
      await store.upsertChat({ id, kind, title: `chat ${id}`, username: null });
    }
    await store.updateChatSettings(-1002, { digest: 'daily', includeWords: ['غزه'], language: 'ar' });
    await store.subscribe(-1001, 'all', 7);
    await store.subscribe(-1002, [a], 8, { threadId: 42 });
    await store.subscribe(-1003, [a, b], 7);
    await store.subscribe(-1004, [b], 9);
    await store.recordItems(a, [
      item('a1', 'قافلة مساعدات تصل إدلب', 'وصلت الشاحنات عبر المعبر صباح اليوم', [post(-1001), post(-1002)]),
      item('a22', 'Convoy reaches the border', 'Trucks crossed at dawn', [post(-1001), post(-1003)]),
      item('a333', 'Old headline only', undefined, [post(-1003)]),
    ]);
    await store.recordItems(b, [item('b1', 'Market news', 'Prices rose again', [post(-1004)])]);
    // -1001: its first post sent as message 777; -1002's first failed; -1003's first in flight
    // when the bot stopped; -1004 paused with its post.
    const claimed = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    for (const delivery of claimed) {
      if (delivery.chatId === -1001) await store.markDeliverySent(delivery.id, 777);
      if (delivery.chatId === -1002) await store.markDeliveryFailed(delivery.id, 'Bad Request: chat not found');
      if (delivery.chatId === -1004) await store.markDeliveryRetry(delivery.id, new Date(0), 'later');
    }
    await store.pauseChat(-1004, 'Forbidden: bot was kicked');
  } finally {
    await store.close();
  }
}

describe.runIf(available)('copying a SQLite store into PostgreSQL (npm run migrate-store)', () => {
  const schemas: string[] = [];
  let file: string;
  let schema: string;
  const opened: Array<{ close(): Promise<void> }> = [];

  beforeEach(async () => {
    file = path.join(makeTempDir(), 'nashra.sqlite');
    await fillSqlite(file);
    schema = freshSchemaName('migrate');
    schemas.push(schema);
  });
  afterEach(async () => {
    for (const thing of opened.splice(0)) await thing.close();
  });
  afterAll(() => dropSchemas(schemas));

  /** Rebuilds the target's index as the command does (on this thread). */
  async function reindexTarget() {
    const store = await openPostgresStore(testDatabaseUrl, { schema });
    try {
      const rebuilt = await reindexItems({ store, cpu: createInProcessCpu(), logger: pino({ level: 'silent' }) }, { force: true });
      if (!rebuilt.rebuilt) throw new Error('stopped');
      return { items: rebuilt.items, headlineOnly: rebuilt.headlineOnly };
    } finally {
      await store.close();
    }
  }

  /** copyStore as the command runs it, on the SQLite file and the suite's schema, two rows a batch. */
  async function copy(extra: Partial<CopyStoreOptions> = {}) {
    const dump = openSqliteDump(file);
    const load = await openPostgresLoad(testDatabaseUrl, { schema });
    const lines: string[] = [];
    try {
      const progress = (line: string) => lines.push(line);
      const result = await copyStore({ from: `sqlite:${file}`, dump, load, batchSize: 2, progress, reindex: reindexTarget, ...extra });
      return { result, lines };
    } finally {
      await dump.close();
      await load.close();
    }
  }

  async function both(): Promise<{ sqlite: Store; postgres: Store }> {
    const sqlite = createSqliteStore(file);
    const postgres = await openPostgresStore(testDatabaseUrl, { schema });
    opened.push(sqlite, postgres);
    return { sqlite, postgres };
  }

  it('copies every source, item, chat, setting, subscription and delivery, and rebuilds the search index', async () => {
    const { result, lines } = await copy();
    expect(result.target).toEqual(result.source);
    expect(result.source).toEqual({ sources: 2, items: 4, chats: 4, subscriptions: 5, deliveries: 6 });
    expect(result).toMatchObject({ resumed: false, indexed: 4, headlineOnly: 1 });
    expect(lines).toContain('deliveries: 6/6 copied');

    const { sqlite, postgres } = await both();
    expect(await postgres.listSources()).toEqual(await sqlite.listSources());
    expect(await postgres.latestItems(10)).toEqual(await sqlite.latestItems(10));
    const [a, b] = await sqlite.listSources();
    expect(await postgres.getSourceSignatures(a!.id)).toEqual(['تابعونا على تلغرام']);
    expect(await postgres.recentBodyTexts(a!.id, 5)).toEqual(await sqlite.recentBodyTexts(a!.id, 5));
    for (const chatId of [-1001, -1002, -1003, -1004]) {
      expect(await postgres.getChat(chatId)).toEqual(await sqlite.getChat(chatId));
      expect(await postgres.getChatSettings(chatId)).toEqual(await sqlite.getChatSettings(chatId));
      expect(await postgres.listSubscriptions(chatId)).toEqual(await sqlite.listSubscriptions(chatId));
      expect(await postgres.chatPausedReason(chatId)).toEqual(await sqlite.chatPausedReason(chatId));
    }
    expect(await postgres.listSourceSubscribers(b!.id)).toEqual(await sqlite.listSourceSubscribers(b!.id));

    // The post in flight when the bot stopped is queued again; the others keep their state.
    expect(await sqlite.countDeliveries()).toEqual({ pending: 2, sending: 1, sent: 1, failed: 1, paused: 1 });
    expect(await postgres.countDeliveries()).toEqual({ pending: 3, sending: 0, sent: 1, failed: 1, paused: 1 });
    // Searchable by the words of the body text; an item stored without one by its headline.
    expect((await postgres.searchItems(wordsQuery('الشاحنات'), { limit: 5 })).map((hit) => hit.headline)).toEqual(['قافلة مساعدات تصل إدلب']);
    expect((await postgres.searchItems(wordsQuery('trucks'), { limit: 5 })).map((hit) => hit.headline)).toEqual(['Convoy reaches the border']);
    expect((await postgres.searchItems(wordsQuery('headline'), { limit: 5 })).map((hit) => hit.headline)).toEqual(['Old headline only']);
    expect((await postgres.getIndexState()).rebuild).toBeNull();

    // The sent post keeps its message: a corrected headline edits message 777.
    const sentItem = (await postgres.latestItems(10)).find((i) => i.headline === 'قافلة مساعدات تصل إدلب')!;
    expect(await postgres.correctItem(sentItem.id, { headline: 'قافلة تصل', searchTitle: 'قافله تصل', searchBody: '', titleHash: 'h2' })).toEqual({ found: true, edits: 1 });
    const claimed = await postgres.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(claimed.find((d) => d.chatId === -1001)).toMatchObject({ editMessageId: 777, headline: 'قافلة تصل' });

    // Ids go on after the copied ones.
    const fresh = await postgres.recordItems(b!.id, [item('b22', 'Fresh', 'new text')]);
    expect(fresh.newItemIds[0]).toBeGreaterThan(Math.max(...(await sqlite.latestItems(10)).map((i) => i.id)));
    const { source: added } = await postgres.addSource({ url: 'https://c.example/', feedUrl: 'https://c.example/', title: 'C' });
    expect(added.id).toBe(3);
  });

  it('goes on where a copy that stopped left off, without a row twice, and refuses to copy again once done', async () => {
    let batches = 0;
    await expect(
      copy({
        afterBatch: () => {
          if (++batches === 2) throw new Error('connection lost');
        },
      }),
    ).rejects.toThrow('connection lost');
    const partial = await queryInSchema<{ n: string }>(schema, `SELECT count(*) AS n FROM items`);
    expect(Number(partial[0]!.n)).toBe(2);

    const { result, lines } = await copy();
    expect(result.resumed).toBe(true);
    expect(lines[0]).toMatch(/^resuming the unfinished copy of sqlite:/);
    expect(result.target).toEqual(result.source);
    for (const table of copiedTables) {
      const [row] = await queryInSchema<{ n: string; ids: string }>(schema, `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM ${table}`);
      expect(row!.n, table).toBe(row!.ids);
    }
    await expect(copy()).rejects.toThrow(MigrateRefusedError);
    await expect(copy()).rejects.toThrow(/already holds a finished copy/);
  });

  it('refuses a target that holds anything it did not copy', async () => {
    const target = await openPostgresStore(testDatabaseUrl, { schema });
    await target.upsertChat({ id: -5, kind: 'group', title: 'already here', username: null });
    await target.close();
    await expect(copy()).rejects.toThrow(/not empty \(chats: 1 rows\)/);
  });

  it('runs as npm run migrate-store, printing progress and counts, never the password', async () => {
    await queryInSchema(schema, `CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const password = 's3cr3t-Pa55';
    const url = new URL(testDatabaseUrl);
    url.password = password;
    url.searchParams.set('options', `-c search_path=${schema}`);
    const run = (to: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/migrate-store.ts', '--from', `sqlite:${file}`, '--to', to], {
          cwd: path.resolve(import.meta.dirname, '../..'),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('close', (code) => resolve({ code, out }));
      });

    const done = await run(url.toString());
    expect(done.out).toMatch(/items: 4\/4 copied/);
    expect(done.out).toMatch(/done in [\d.]+ s: sources 2\/2, items 4\/4, chats 4\/4, subscriptions 5\/5, deliveries 6\/6; search index: 4 items \(1 stored before their text was kept: headline only\)/);
    expect(done.code, done.out).toBe(0);
    expect(done.out).not.toContain(password);

    const again = await run(url.toString());
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/already holds a finished copy/);

    const unreachable = new URL(url);
    unreachable.port = '1';
    const refused = await run(unreachable.toString());
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test/);
    expect(refused.out).not.toContain(password);
  }, 60_000);
});
