import pg from 'pg';
import { postgresMigrations } from './schema.js';

export type Row = Record<string, unknown>;

/** A pool or one client checked out of it: what every module runs its statements on. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

export const nowIso = () => new Date().toISOString();

/**
 * The key of the advisory lock held while migrating: several processes starting at once on one
 * database migrate one after another, so each migration runs exactly once.
 */
const migrationLockKey = 7_302_114_901;

export interface PostgresStoreOptions {
  /** Run in this schema (created when missing) instead of the default search_path. Letters, digits and _ only. */
  schema?: string;
  /** Connections the pool opens at most. Default 10. */
  maxConnections?: number;
  /** This process's name in the leases it takes (default: host, pid and random bits). */
  ownerId?: string;
  /** How long a lease lasts unless renewed (default defaultLeaseMs). */
  leaseMs?: number;
  /** An idle pooled connection failed (the server restarted): the pool drops it; this hears about it. */
  onError?: (err: Error) => void;
}

/** A store could not reach its database. The message never carries the URL's password. */
export class StoreConnectError extends Error {
  override readonly name = 'StoreConnectError';
}

export interface PostgresConnection {
  pool: pg.Pool;
  /** A connection of its own, outside the pool, with the pool's settings (not yet connected). */
  newClient(): pg.Client;
  /** Runs `work` in one transaction on one pooled connection: committed if it returns, rolled back if it throws. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The URL as it can be shown: user, host, port and database, never the password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'an unreadable PostgreSQL URL';
  }
}

/** `message` with every form of the URL's password removed (a driver may quote what it was given). */
function withoutPassword(message: string, url: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return message.split(url).join('<database url>');
  }
  let out = message.split(url).join(describeDatabaseUrl(url));
  if (password === '') return out;
  for (const form of new Set([password, safeDecode(password)])) out = out.split(form).join('***');
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** int8 (ids, chat ids, counts) as numbers: every value nashra stores fits in 2^53. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * Connects a pool to `url` (search_path set to `options.schema` on every connection) and brings the
 * schema up to date, inside one transaction holding an advisory lock.
 * @throws StoreConnectError when the database cannot be reached or refuses the login.
 */
export async function openPostgresConnection(url: string, options: PostgresStoreOptions = {}): Promise<PostgresConnection> {
  if (options.schema !== undefined && !identifier.test(options.schema)) {
    throw new Error(`PostgreSQL schema name must be letters, digits and _ (got ${JSON.stringify(options.schema)})`);
  }
  const settings: pg.ClientConfig = {
    connectionString: url,
    application_name: 'nashra',
    // An unreachable host fails the start in seconds, not after the system's TCP timeout.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  };
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({ ...settings, max: options.maxConnections ?? 10 });
  } catch (err) {
    throw new StoreConnectError(`cannot use ${describeDatabaseUrl(url)}: ${withoutPassword(String((err as Error).message ?? err), url)}`);
  }
  pool.on('error', (err) => options.onError?.(err));

  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };

  try {
    await transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
      if (options.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
      for (let version = (rows[0]?.version ?? 0) + 1; version <= postgresMigrations.length; version++) {
        await client.query(postgresMigrations[version - 1]!);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      }
    });
  } catch (err) {
    await pool.end().catch(() => undefined);
    // Connection and login failures say where; an error in a migration is a bug, shown as it is.
    const code = err instanceof pg.DatabaseError ? (err.code ?? '') : null;
    if (code === null || code.startsWith('08') || code.startsWith('28') || code === '3D000' || code.startsWith('57P')) {
      throw new StoreConnectError(`cannot connect to PostgreSQL at ${describeDatabaseUrl(url)}: ${withoutPassword((err as Error).message, url)}`);
    }
    throw err;
  }

  let closing: Promise<void> | null = null;
  return {
    pool,
    newClient: () => new pg.Client(settings),
    transaction,
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
