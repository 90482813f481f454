/**
 * `npm run migrate-store -- --from sqlite:./data/nashra.sqlite --to postgres://user:pass@host/db`:
 * copies a SQLite store into an empty PostgreSQL one, so a newsroom moves up without losing its
 * archive or its subscriptions. Sources, items (with their text), chats and their settings,
 * subscriptions and the outbox are copied in batches with their ids; the search index is then
 * rebuilt from the items' text. A copy that stopped (crash, Ctrl-C, lost connection) is finished by
 * running the same command again; a target that holds anything else is refused. Stop the bot first.
 */
import { fileURLToPath } from 'node:url';
import { ConfigError, parseDatabaseUrl, urlPasswords } from './config.js';
import { createLogger, redactWrites } from './logger.js';
import { createCpuPool } from './pipeline/cpu-pool.js';
import { reindexItems } from './pipeline/reindex-items.js';
import { copiedTables, type CopiedTable, type DumpRow, type StoreDump, type StoreLoad } from './store/dump.js';
import { StoreConnectError, StoreInUseError } from './store/open-store.js';
import { describeDatabaseUrl, openPostgresStore } from './store/postgres/index.js';
import { openPostgresLoad } from './store/postgres/load.js';
import { openSqliteDump } from './store/sqlite/dump.js';

/** Rows per transaction: an item carries up to ~16 KB of text, so a batch stays a few megabytes. */
const defaultBatchSize = 500;

/** The target already holds something the copy did not put there, or a finished copy. */
export class MigrateRefusedError extends Error {
  override readonly name = 'MigrateRefusedError';
}

export interface CopyStoreOptions {
  /** What is copied, as it may be shown (no password): recorded in the target, checked on a re-run. */
  from: string;
  dump: StoreDump;
  load: StoreLoad;
  /** Builds the target's search index from the copied items (they carry no index of their own). */
  reindex: () => Promise<{ items: number; headlineOnly: number }>;
  batchSize?: number;
  /** One line of progress at a time. */
  progress?: (line: string) => void;
  /** Called after each batch is written (tests stop a copy half-way here). */
  afterBatch?: (table: CopiedTable, copied: number) => void;
}

export interface CopyStoreResult {
  /** Rows the source holds, per table. */
  source: Record<CopiedTable, number>;
  /** Rows the target holds once done, per table. */
  target: Record<CopiedTable, number>;
  /** Whether this run went on from a copy that had stopped. */
  resumed: boolean;
  indexed: number;
  headlineOnly: number;
}

/**
 * A delivery caught mid-send when the old store stopped is queued again (the app would do the same at
 * its next start); every other state is kept, a sent post with its message id.
 */
function carried(table: CopiedTable, row: DumpRow): DumpRow {
  return table === 'deliveries' && row.state === 'sending' ? { ...row, state: 'pending' } : row;
}

/** Copies every table of `dump` into `load` in id order, then has the index rebuilt. */
export async function copyStore(options: CopyStoreOptions): Promise<CopyStoreResult> {
  const { dump, load, from } = options;
  const batchSize = Math.max(1, options.batchSize ?? defaultBatchSize);
  const say = options.progress ?? (() => undefined);

  const record = await load.copyRecord();
  if (record?.finished) throw new MigrateRefusedError(`the target already holds a finished copy of ${record.source}`);
  if (record && record.source !== from) {
    throw new MigrateRefusedError(`the target holds an unfinished copy of ${record.source}, not of ${from}`);
  }
  if (!record) {
    for (const table of copiedTables) {
      const rows = await load.count(table);
      if (rows > 0) throw new MigrateRefusedError(`the target is not empty (${table}: ${rows} rows); copy into an empty database`);
    }
    await load.beginCopy(from);
  } else {
    say(`resuming the unfinished copy of ${from}`);
  }

  const source = {} as Record<CopiedTable, number>;
  for (const table of copiedTables) {
    source[table] = await dump.count(table);
    let after = await load.lastId(table);
    let copied = after === null ? 0 : await load.count(table);
    let lastReport = 0;
    for (;;) {
      const rows = await dump.rows(table, after, batchSize);
      if (rows.length === 0) break;
      await load.write(table, rows.map((row) => carried(table, row)));
      after = Number(rows[rows.length - 1]!.id);
      copied += rows.length;
      options.afterBatch?.(table, copied);
      if (Date.now() - lastReport >= 1000) {
        lastReport = Date.now();
        say(`${table}: ${copied}/${source[table]}`);
      }
    }
    say(`${table}: ${copied}/${source[table]} copied`);
  }

  say('search index: rebuilding from the copied items');
  const { items: indexed, headlineOnly } = await options.reindex();
  await load.finishCopy();

  const target = {} as Record<CopiedTable, number>;
  for (const table of copiedTables) target[table] = await load.count(table);
  return { source, target, resumed: record !== null, indexed, headlineOnly };
}

function fail(message: string): never {
  process.stderr.write(`nashra migrate-store: ${message}\n`);
  process.exit(1);
}

/** `--from X --to Y` (or `--from=X --to=Y`). */
function readArguments(argv: readonly string[]): { from: string; to: string } {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(from|to)(?:=(.*))?$/.exec(argv[i]!);
    if (!match) fail(`unknown argument ${JSON.stringify(argv[i]!.startsWith('--') ? argv[i] : '(a value)')}; usage: --from sqlite:FILE --to postgres://URL`);
    values[match[1]!] = match[2] ?? argv[++i] ?? '';
  }
  if (!values.from || !values.to) fail('usage: npm run migrate-store -- --from sqlite:./data/nashra.sqlite --to postgres://user:pass@host:5432/nashra');
  return { from: values.from, to: values.to };
}

async function main(): Promise<void> {
  const args = readArguments(process.argv.slice(2));
  // Nothing this process writes may carry the target's password (a driver's error may quote the URL).
  const secrets = urlPasswords(args.to);
  redactWrites(process.stdout, secrets);
  redactWrites(process.stderr, secrets);
  let from;
  let to;
  try {
    from = parseDatabaseUrl(args.from, process.cwd());
    to = parseDatabaseUrl(args.to, process.cwd());
  } catch (err) {
    fail(err instanceof ConfigError ? err.message.replace(/^DATABASE_URL/, 'a store URL') : String(err));
  }
  if (from.kind !== 'sqlite') fail('--from must be a SQLite store (sqlite:./data/nashra.sqlite)');
  if (to.kind !== 'postgres') fail('--to must be a PostgreSQL database (postgres://user:pass@host:5432/nashra)');

  let dump: StoreDump;
  try {
    dump = openSqliteDump(from.path);
  } catch (err) {
    fail(err instanceof StoreInUseError ? `${err.message} (stop the bot first)` : (err as Error).message);
  }
  const started = Date.now();
  const logger = createLogger({ level: 'warn', secrets });
  const cpu = createCpuPool();
  let load: StoreLoad | undefined;
  try {
    load = await openPostgresLoad(to.url);
    const target = to.url;
    process.stdout.write(`copying sqlite:${from.path} into ${describeDatabaseUrl(target)}\n`);
    const result = await copyStore({
      from: `sqlite:${from.path}`,
      dump,
      load,
      progress: (line) => process.stdout.write(`${line}\n`),
      reindex: async () => {
        const store = await openPostgresStore(target);
        try {
          const rebuilt = await reindexItems({ store, cpu, logger }, { force: true });
          if (!rebuilt.rebuilt) throw new Error('the search index rebuild stopped; run the command again');
          return { items: rebuilt.items, headlineOnly: rebuilt.headlineOnly };
        } finally {
          await store.close();
        }
      },
    });
    const counts = copiedTables.map((table) => `${table} ${result.target[table]}/${result.source[table]}`).join(', ');
    process.stdout.write(
      `done in ${((Date.now() - started) / 1000).toFixed(1)} s${result.resumed ? ' (resumed)' : ''}: ${counts}; ` +
        `search index: ${result.indexed} items` +
        (result.headlineOnly > 0 ? ` (${result.headlineOnly} stored before their text was kept: headline only)` : '') +
        '\n',
    );
  } catch (err) {
    const known = err instanceof MigrateRefusedError || err instanceof StoreConnectError;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`nashra migrate-store: ${known ? message : `${message} (run the same command again to go on where it stopped)`}\n`);
    process.exitCode = 1;
  } finally {
    await cpu.close();
    await dump.close();
    await load?.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
