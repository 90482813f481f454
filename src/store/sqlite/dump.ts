import fs from 'node:fs';
import type { CopiedTable, DumpRow, StoreDump } from '../dump.js';
import { openSqliteDatabase } from './connection.js';

/**
 * Reads an existing SQLite store for a copy: opened as the app opens it (its file lock held, so the
 * bot must be stopped; its schema brought up to date, so every column is there).
 * @throws Error when the file does not exist; StoreInUseError when a bot has it open.
 */
export function openSqliteDump(file: string): StoreDump {
  if (!fs.existsSync(file)) throw new Error(`no SQLite store at ${file}`);
  const connection = openSqliteDatabase(file);
  const { db } = connection;
  return {
    async count(table: CopiedTable) {
      return Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
    },
    async rows(table: CopiedTable, afterId: number | null, limit: number) {
      const rows =
        afterId === null
          ? db.prepare(`SELECT * FROM ${table} ORDER BY id LIMIT ?`).all(limit)
          : db.prepare(`SELECT * FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`).all(afterId, limit);
      return rows as DumpRow[];
    },
    async close() {
      connection.close();
    },
  };
}
