import { copiedTables, type CopiedTable, type DumpRow, type StoreLoad } from '../dump.js';
import { nowIso, openPostgresConnection, type PostgresStoreOptions, type Row } from './connection.js';

/** Tables whose id comes from an identity column (chats' ids are Telegram's). */
const identityTables: ReadonlySet<CopiedTable> = new Set(['sources', 'items', 'subscriptions', 'deliveries']);

/** PostgreSQL cannot hold a NUL character in text; nothing nashra shows needs one. */
const nul = /\u0000/g;

/**
 * A value as jsonb_populate_recordset reads it into a column of `type`: SQLite's 0/1 read as
 * booleans by themselves; JSON kept as text (settings, signatures) becomes the JSON value.
 */
function toColumnValue(value: string | number | null, type: string): unknown {
  if (value === null) return null;
  if (type === 'jsonb') {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value.replace(nul, '')) as unknown;
    } catch {
      return null;
    }
  }
  return typeof value === 'string' ? value.replace(nul, '') : value;
}

/**
 * Opens a PostgreSQL store (creating or migrating its schema) to receive a copy. Rows are written
 * with their ids, a batch per transaction, so a copy that stopped can go on where it was.
 */
export async function openPostgresLoad(url: string, options: PostgresStoreOptions = {}): Promise<StoreLoad> {
  const connection = await openPostgresConnection(url, options);
  const { pool, transaction } = connection;

  // The target's columns and their types, per table: only columns both stores have are copied.
  const { rows: columnRows } = await pool.query<Row>(
    `SELECT table_name, column_name, udt_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
    [[...copiedTables]],
  );
  const columns = new Map<string, Map<string, string>>();
  for (const row of columnRows) {
    const table = String(row.table_name);
    if (!columns.has(table)) columns.set(table, new Map());
    columns.get(table)!.set(String(row.column_name), String(row.udt_name));
  }

  return {
    async count(table) {
      const { rows } = await pool.query<Row>(`SELECT count(*) AS n FROM ${table}`);
      return Number(rows[0]!.n);
    },
    async copyRecord() {
      const { rows } = await pool.query<Row>(`SELECT source, finished_at FROM store_imports WHERE id = 1`);
      return rows[0] ? { source: String(rows[0].source), finished: rows[0].finished_at != null } : null;
    },
    async beginCopy(source) {
      await pool.query(`INSERT INTO store_imports (id, source, started_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`, [source, nowIso()]);
    },
    async lastId(table) {
      const { rows } = await pool.query<Row>(`SELECT max(id) AS id FROM ${table}`);
      return rows[0]?.id == null ? null : Number(rows[0].id);
    },
    async write(table, rows) {
      if (rows.length === 0) return 0;
      const types = columns.get(table)!;
      const names = Object.keys(rows[0]!).filter((name) => types.has(name));
      const batch = rows.map((row) => Object.fromEntries(names.map((name) => [name, toColumnValue(row[name] ?? null, types.get(name)!)])));
      const list = names.map((name) => `"${name}"`).join(', ');
      return transaction(async (client) => {
        const result = await client.query(
          `INSERT INTO ${table} (${list}) SELECT ${list} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ON CONFLICT DO NOTHING`,
          [JSON.stringify(batch)],
        );
        return result.rowCount ?? 0;
      });
    },
    async finishCopy() {
      await transaction(async (client) => {
        for (const table of identityTables) {
          await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM ${table}), false)`);
        }
        await client.query(`UPDATE store_imports SET finished_at = $1 WHERE id = 1`, [nowIso()]);
      });
    },
    close: () => connection.close(),
  };
}
