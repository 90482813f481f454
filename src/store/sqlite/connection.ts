import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { lockSqliteFile } from './file-lock.js';
import { sqliteMigrations } from './schema.js';

export type Row = Record<string, unknown>;

export const nowIso = () => new Date().toISOString();

export interface SqliteConnection {
  db: Database.Database;
  close(): void;
}

/**
 * Opens (creating if needed) the SQLite file, its folder too, and brings its schema up to date.
 * @throws StoreInUseError when another process has the same file open.
 */
export function openSqliteDatabase(file: string): SqliteConnection {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const releaseLock = file === ':memory:' ? () => undefined : lockSqliteFile(file);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    releaseLock();
    throw err;
  }
  db.pragma('journal_mode = WAL');
  // The outbox's marks must survive a power cut, not only a crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');

  const migrate = db.transaction(() => {
    const version = Number(db.pragma('user_version', { simple: true }));
    for (let i = version; i < sqliteMigrations.length; i++) {
      db.exec(sqliteMigrations[i]!);
    }
    db.pragma(`user_version = ${sqliteMigrations.length}`);
  });
  migrate();

  let closed = false;
  return {
    db,
    close() {
      if (closed) return;
      closed = true;
      db.close();
      releaseLock();
    },
  };
}
