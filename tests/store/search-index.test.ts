import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteMigrations } from '../../src/store/sqlite/schema.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { IndexQuery, Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { wordsQuery } from './index-query.js';

// Searching and rebuilding as every store does it are in contract/search.ts; this is SQLite's upgrade path.

const headlines = async (store: Store, query: IndexQuery, limit = 10, offset = 0) =>
  (await store.searchItems(query, { limit, offset })).map((hit) => hit.headline);

describe('opening a store made before issue 12', () => {
  it('migrates it: old items have no body text, and the index says it was built by the old rules', async () => {
    const file = path.join(makeTempDir(), 'old.sqlite');
    const db = new Database(file);
    for (const migration of sqliteMigrations.slice(0, 2)) db.exec(migration);
    db.pragma('user_version = 2');
    db.prepare(`INSERT INTO sources (id, url, feed_url, title, added_at) VALUES (1, 'u', 'u', 'S', '2025-01-01')`).run();
    db.prepare(`INSERT INTO items (id, source_id, key, headline, link, published_at, first_seen_at) VALUES (1, 1, 'k', 'خسائر فادحة', 'https://x.example/1', NULL, '2025-01-01')`).run();
    db.prepare(`INSERT INTO items_fts (rowid, title, body) VALUES (1, 'خسائر فادحه', 'معارك ادلب')`).run();
    db.close();

    const store = createSqliteStore(file);
    try {
      expect(await store.getIndexState()).toEqual({ version: 1, rebuild: null });
      expect(await headlines(store, wordsQuery('ادلب'))).toEqual(['خسائر فادحة']);
      expect(await store.listItemTexts(0, 10, 10)).toEqual([{ id: 1, sourceId: 1, headline: 'خسائر فادحة', bodyText: null }]);
      expect(await store.countItemTexts(0, 10)).toEqual({ items: 1, withoutBody: 1 });
      expect(await store.getSourceSignatures(1)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
