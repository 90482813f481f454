import type { DatabaseTarget } from '../config.js';
import { createSqliteStore } from './sqlite/index.js';

export { StoreInUseError } from './sqlite/index.js';
import type { Store } from './store.js';

/** Opens the store DATABASE_URL points at. PostgreSQL will plug in here behind the same interface. */
export function openStore(target: DatabaseTarget): Store {
  switch (target.kind) {
    case 'sqlite':
      return createSqliteStore(target.path);
  }
}
