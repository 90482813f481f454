import type { Store } from '../store.js';
import { createSqliteChats } from './chats.js';
import { openSqliteDatabase } from './connection.js';
import { createSqliteCoordination } from './coordination.js';
import { createSqliteItems } from './items.js';
import { createSqliteOutbox } from './outbox.js';
import { createSqliteSearchIndex, type SqliteStoreOptions } from './search-index.js';
import { createSqliteSources } from './sources.js';

export { defaultIndexPartitionSize, type SqliteStoreOptions } from './search-index.js';
export { StoreInUseError } from './file-lock.js';

/**
 * Opens (creating if needed) the SQLite store at `file`, its folder too. One module per area shares
 * one connection; the items module keeps the search index in step within its transactions.
 * @throws StoreInUseError when another process has the same file open.
 */
export function createSqliteStore(file: string, options: SqliteStoreOptions = {}): Store {
  const connection = openSqliteDatabase(file);
  const { db } = connection;
  const search = createSqliteSearchIndex(db, options);
  const { addEntry: _addEntry, removeEntry: _removeEntry, keepingLayout: _keepingLayout, ...searchStore } = search;
  return {
    ...createSqliteSources(db, search),
    ...createSqliteItems(db, search),
    ...searchStore,
    ...createSqliteChats(db),
    ...createSqliteOutbox(db),
    ...createSqliteCoordination(db),
    async close() {
      connection.close();
    },
  };
}
