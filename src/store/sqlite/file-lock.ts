import Database from 'better-sqlite3';

/** Another process already runs nashra on this database file. */
export class StoreInUseError extends Error {
  override readonly name = 'StoreInUseError';
}

/**
 * Makes sure one process at a time works on a SQLite store: two bots on one file would both long-poll
 * Telegram and race each other's outbox. The lock is an exclusive SQLite transaction held on a small
 * side file for as long as the store is open; the operating system releases it when the process
 * ends, even on a crash or `kill -9`, so a stale lock can never keep the bot from starting.
 * @returns a function that releases the lock.
 * @throws StoreInUseError when another process holds it.
 */
export function lockSqliteFile(file: string): () => void {
  const lockFile = `${file}.lock`;
  const lock = new Database(lockFile);
  try {
    lock.pragma('busy_timeout = 0');
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new StoreInUseError(`${file} is in use by another nashra process; stop that one first (or use another DATABASE_URL)`);
    }
    throw err;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    lock.exec('ROLLBACK');
    lock.close();
  };
}
