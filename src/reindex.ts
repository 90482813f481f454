/**
 * `npm run reindex`: rebuilds the search index from the items' kept text with today's word rules,
 * and reports the rate. An entry point: it wires the store, the worker pool and the use case. On
 * SQLite the bot must be stopped first (one process per database file); on PostgreSQL it may run
 * beside the bots, which keep writing new items to both indexes. A running bot rebuilds by itself
 * at start when the rules changed.
 */
import { ConfigError, createReindexConfig, loadDotEnv } from './config.js';
import { createLogger, redactWrites } from './logger.js';
import { createCpuPool } from './pipeline/cpu-pool.js';
import { reindexItems } from './pipeline/reindex-items.js';
import { openStore, StoreConnectError, StoreInUseError } from './store/open-store.js';

function fail(message: string): never {
  process.stderr.write(`nashra reindex: ${message}\n`);
  process.exit(1);
}

loadDotEnv();
let config;
try {
  config = createReindexConfig();
} catch (err) {
  fail(err instanceof ConfigError ? err.message : String(err));
}

// Nothing this process writes may carry the database password (a driver's error may quote the URL).
redactWrites(process.stdout, config.secrets);
redactWrites(process.stderr, config.secrets);
const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
let store;
try {
  store = await openStore(config.database);
} catch (err) {
  if (err instanceof StoreConnectError) fail(err.message);
  fail(err instanceof StoreInUseError ? `${err.message} (stop the bot first)` : String(err));
}
const cpu = createCpuPool({ threads: config.workerThreads });
const abort = new AbortController();
process.once('SIGINT', () => abort.abort());
process.once('SIGTERM', () => abort.abort());

let lastReport = 0;
try {
  const result = await reindexItems(
    { store, cpu, logger },
    {
      force: true,
      signal: abort.signal,
      onProgress: ({ done, total, itemsPerSecond }) => {
        if (Date.now() - lastReport < 1000 && done < total) return;
        lastReport = Date.now();
        process.stdout.write(`${done}/${total} items, ${itemsPerSecond} items/s\n`);
      },
    },
  );
  process.stdout.write(
    result.rebuilt
      ? `search index rebuilt: ${result.items} items in ${(result.ms / 1000).toFixed(1)} s, ${result.itemsPerSecond} items/s` +
          (result.headlineOnly > 0 ? ` (${result.headlineOnly} stored before their text was kept: headline only)` : '') +
          '\n'
      : result.reason === 'elsewhere'
        ? 'another nashra process is rebuilding the search index now (a replica that started after a change of the word rules); run this again once its log says "search index rebuilt"\n'
        : `stopped after ${result.done} items; run it again to finish\n`,
  );
  if (!result.rebuilt && result.reason === 'elsewhere') process.exitCode = 1;
} catch (err) {
  logger.error({ err }, 'reindex failed');
  process.exitCode = 1;
} finally {
  await cpu.close();
  await store.close();
}
