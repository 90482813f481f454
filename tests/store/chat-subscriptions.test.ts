import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteMigrations } from '../../src/store/sqlite/schema.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { makeTempDir } from '../helpers/bot-process.js';

// Chats and subscriptions as every store keeps them are in contract/chats.ts; this is SQLite's upgrade path.

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
