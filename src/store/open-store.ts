import type { DatabaseTarget } from '../config.js';
import { openPostgresStore } from './postgres/index.js';
import { createSqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';

export { StoreInUseError } from './sqlite/index.js';
export { StoreConnectError } from './postgres/index.js';

/**
 * Opens the store DATABASE_URL points at, its schema created or brought up to date: a SQLite file
 * (the embedded default) or a PostgreSQL database (several processes may share it).
 * @throws StoreInUseError when another process has the SQLite file open.
 * @throws StoreConnectError when PostgreSQL cannot be reached or refuses the login (the message never holds the password).
 */
export async function openStore(target: DatabaseTarget, options: { onConnectionError?: (err: Error) => void } = {}): Promise<Store> {
  switch (target.kind) {
    case 'sqlite':
      return createSqliteStore(target.path);
    case 'postgres':
      // An idle connection the server closed (a restart, a failover, an administrator): the pool drops
      // it and opens another at the next query; the caller logs it.
      return openPostgresStore(target.url, { onError: options.onConnectionError });
  }
}
