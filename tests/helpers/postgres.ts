/**
 * PostgreSQL for tests: the database TEST_DATABASE_URL names (default the machine's `test` database
 * on 127.0.0.1), one fresh schema per suite, dropped after. Where PostgreSQL is not reachable the
 * suites that need it are skipped, saying so once.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test database (read here, not in config.ts: the app never reads it). */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/test';

/** The URL as it can be printed: no password. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'TEST_DATABASE_URL';
  }
}

let reachable: Promise<boolean> | undefined;

/** Whether the test database answers (asked once per test file). */
export function postgresAvailable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/**
 * Whether the PostgreSQL suites of this file run; when they cannot, one line says why. Call at the
 * top of the file (top-level await) and pass the answer to `describe.runIf`.
 */
export async function postgresSuiteRuns(what = 'the postgres store suite'): Promise<boolean> {
  const available = await postgresAvailable();
  if (!available) console.log(`PostgreSQL not reachable at ${shown(testDatabaseUrl)}: ${what} was skipped`);
  return available;
}

/** A new schema name, unique to this run. */
export function freshSchemaName(prefix = 'nashra_test'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Drops the schemas a suite made, with everything in them. */
export async function dropSchemas(names: Iterable<string>): Promise<void> {
  const list = [...names];
  if (list.length === 0) return;
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    for (const name of list) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs one statement on the test database in `schema` (for tests that look at what the store wrote). */
export async function queryInSchema<R extends pg.QueryResultRow = Record<string, unknown>>(
  schema: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A database of its own on the test server (`<prefix>_<pid>_<hex>`), for runs where several
 * processes share one store (`npm run bench -- replicas`; tests/e2e/replicas.test.ts has its own copy); `drop` removes it
 * WITH (FORCE), whatever connections are left.
 */
export async function createScratchDatabase(prefix = 'nashra_scratch'): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** TEST_DATABASE_URL as it can be printed: no password. */
export const shownTestDatabaseUrl = shown(testDatabaseUrl);
