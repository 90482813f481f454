import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteMigrations } from '../../src/store/sqlite/schema.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { NewItem, Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { recordAndQueuePosts } from '../../src/pipeline/record-items.js';

function item(key: string): NewItem {
  return { key, headline: `headline ${key}`, link: `https://example.com/${key}`, publishedAt: null, searchTitle: key, searchBody: '' };
}

describe('chats and subscriptions in the SQLite store (issue 13)', () => {
  let store: Store;
  let sourceId: number;

  beforeEach(async () => {
    store = createSqliteStore(path.join(makeTempDir(), 'nashra.sqlite'));
    sourceId = (await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' })).source.id;
    await store.upsertChat({ id: -100, kind: 'supergroup', title: 'Forum', username: null });
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps the forum topic of a subscription and carries it on every claimed delivery', async () => {
    await store.subscribe(-100, 'all', 1, { threadId: 42 });
    expect((await store.listSubscriptions(-100))[0]?.threadId).toBe(42);
    await recordAndQueuePosts(store, sourceId, [item('a')]);
    const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(claimed).toMatchObject({ chatId: -100, threadId: 42 });
  });

  it('posts to the chat itself (no topic) when the subscription was made outside any topic', async () => {
    await store.subscribe(-100, [sourceId], 1);
    await recordAndQueuePosts(store, sourceId, [item('a')]);
    const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(claimed?.threadId).toBeNull();
  });

  it('moves a subscription to the topic it is subscribed from again, without adding a second one', async () => {
    await store.subscribe(-100, [sourceId], 1, { threadId: 5 });
    const again = await store.subscribe(-100, [sourceId], 1, { threadId: 9 });
    expect(again.added).toEqual([]);
    const subs = await store.listSubscriptions(-100);
    expect(subs.map((sub) => sub.threadId)).toEqual([9]);
  });

  it('posts an item once to a chat subscribed both to its source and to all, in the topic that names the source', async () => {
    await store.subscribe(-100, 'all', 1, { threadId: 1 });
    await store.subscribe(-100, [sourceId], 1, { threadId: 7 });
    const { queuedDeliveries } = await recordAndQueuePosts(store, sourceId, [item('a')]);
    expect(queuedDeliveries).toBe(1);
    const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(claimed?.threadId).toBe(7);
  });

  it('resumes a paused chat with its paused posts, none lost, and queues new ones again', async () => {
    await store.subscribe(-100, 'all', 1);
    await recordAndQueuePosts(store, sourceId, [item('a'), item('b')]);
    await store.pauseChat(-100, 'the bot may not post');
    expect(await store.chatPausedReason(-100)).toBe('the bot may not post');
    expect((await store.countDeliveries()).paused).toBe(2);
    expect(await store.claimDueDeliveries({ now: new Date(), limit: 10 })).toEqual([]);

    await store.resumeChat(-100);
    expect(await store.chatPausedReason(-100)).toBeNull();
    expect((await store.listSubscriptions(-100))[0]?.paused).toBe(false);
    expect(await store.countDeliveries()).toMatchObject({ pending: 2, paused: 0 });
    expect((await recordAndQueuePosts(store, sourceId, [item('c')])).queuedDeliveries).toBe(1);
    const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(claimed?.headline).toBe('headline a');
  });

  it('says a chat it does not know is not paused', async () => {
    expect(await store.chatPausedReason(-999)).toBeNull();
  });

  it('moves a group upgraded to a supergroup with its topics and waiting posts', async () => {
    await store.upsertChat({ id: -5, kind: 'group', title: 'Small', username: null });
    await store.subscribe(-5, [sourceId], 1);
    await recordAndQueuePosts(store, sourceId, [item('a')]);
    await store.migrateChat(-5, -1005);
    expect(await store.getChat(-5)).toBeNull();
    expect((await store.getChat(-1005))?.kind).toBe('supergroup');
    expect((await store.listSubscriptions(-1005)).map((sub) => sub.sourceId)).toEqual([sourceId]);
    // A second migration message (migrate_from_chat_id in the new group) changes nothing.
    await store.migrateChat(-5, -1005);
    expect(await store.listSubscriptions(-1005)).toHaveLength(1);
    const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(claimed).toMatchObject({ chatId: -1005, chatKind: 'supergroup', threadId: null });
  });
});

describe('opening a store made before issue 13', () => {
  it('migrates it: existing subscriptions and waiting posts have no topic and still post to the chat', async () => {
    const file = path.join(makeTempDir(), 'old.sqlite');
    const db = new Database(file);
    for (const migration of sqliteMigrations.slice(0, 3)) db.exec(migration);
    db.pragma('user_version = 3');
    db.prepare(`INSERT INTO sources (id, url, feed_url, title, added_at) VALUES (1, 'u', 'u', 'S', '2025-01-01')`).run();
    db.prepare(`INSERT INTO items (id, source_id, key, headline, link, first_seen_at) VALUES (1, 1, 'k', 'old', NULL, '2025-01-01')`).run();
    db.prepare(`INSERT INTO chats (id, kind, title, updated_at) VALUES (-100, 'channel', 'C', '2025-01-01')`).run();
    db.prepare(`INSERT INTO subscriptions (chat_id, source_id, created_at) VALUES (-100, NULL, '2025-01-01')`).run();
    db.prepare(
      `INSERT INTO deliveries (item_id, chat_id, state, not_before, created_at, updated_at) VALUES (1, -100, 'pending', 0, '2025-01-01', '2025-01-01')`,
    ).run();
    db.close();

    const store = createSqliteStore(file);
    try {
      expect((await store.listSubscriptions(-100))[0]?.threadId).toBeNull();
      const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
      expect(claimed).toMatchObject({ chatId: -100, headline: 'old', threadId: null });
    } finally {
      await store.close();
    }
  });
});
