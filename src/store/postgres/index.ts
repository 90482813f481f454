import { defaultLeaseMs, makeOwnerId } from '../leases.js';
import type { Store } from '../store.js';
import { createPostgresChats } from './chats.js';
import { openPostgresConnection, type PostgresStoreOptions } from './connection.js';
import { createPostgresCoordination } from './coordination.js';
import { createPostgresItems } from './items.js';
import { createPostgresOutbox } from './outbox.js';
import { createPostgresSearchIndex } from './search.js';
import { createPostgresSources } from './sources.js';

export { describeDatabaseUrl, StoreConnectError, type PostgresStoreOptions } from './connection.js';

/**
 * Opens the PostgreSQL store at `url`: a pool of connections, the schema created or brought up to
 * date first (several processes starting at once migrate one after another, each migration once).
 * One module per area shares the pool; the items module keeps the search index in step within its
 * transactions.
 * @throws StoreConnectError when the database cannot be reached or refuses the login (never naming the password).
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const connection = await openPostgresConnection(url, options);
  const lease = { ownerId: options.ownerId ?? makeOwnerId(), leaseMs: options.leaseMs ?? defaultLeaseMs };
  const index = createPostgresSearchIndex(connection);
  const { addEntries: _addEntries, ...search } = index;
  return {
    ...createPostgresSources(connection.pool),
    ...createPostgresItems(connection, index),
    ...search,
    ...createPostgresChats(connection),
    ...createPostgresOutbox(connection, lease),
    ...createPostgresCoordination(connection, lease),
    close: () => connection.close(),
  };
}
