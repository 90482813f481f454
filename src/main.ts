import { BotRefusedError, createApp, type App } from './app.js';
import { ConfigError, createConfig, loadDotEnv } from './config.js';
import { createLogger, redactWrites } from './logger.js';
import { openStore, StoreConnectError, StoreInUseError } from './store/open-store.js';

// The composition root: read the config, build the app, start it, stop it cleanly on a signal.
const stopDeadlineMs = 9_000;

loadDotEnv();
let config;
try {
  config = createConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`nashra: cannot start: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

// From here on nothing this process writes can carry the token: not our log (redacted line by
// line), and not what a library prints to stdout or stderr itself (grammY runner's console.error of a
// failed request names its URL, /bot<token>/getUpdates).
// The same holds for the webhook secret and DATABASE_URL's password (config.secrets).
redactWrites(process.stdout, config.secrets);
redactWrites(process.stderr, config.secrets);
const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
// Node prints an uncaught error's stack straight to stderr, past the redaction above: log it instead.
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  process.exit(1);
});
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
let app: App;
try {
  const store = await openStore(config.database, {
    onConnectionError: (err) => logger.warn({ err }, 'a database connection closed; the next query opens another'),
  });
  app = createApp({ config, logger, store });
} catch (err) {
  if (err instanceof StoreInUseError || err instanceof StoreConnectError) {
    process.stderr.write(`nashra: cannot start: DATABASE_URL: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'signal received');
  const deadline = setTimeout(() => {
    logger.error({ signal, ms: stopDeadlineMs }, 'clean stop took too long; exiting');
    process.exit(1);
  }, stopDeadlineMs);
  deadline.unref();
  try {
    await app.stop();
    process.exit(process.exitCode ?? 0);
  } catch (err) {
    logger.error({ err }, 'stop failed');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

try {
  await app.start();
  if (!shuttingDown) logger.info({ version: config.version, database: config.database.kind, pollCron: config.pollCron }, 'nashra started');
} catch (err) {
  if (shuttingDown) await new Promise(() => undefined); // the signal handler owns the exit now
  if (err instanceof BotRefusedError) logger.fatal(err.message);
  else logger.fatal({ err }, 'start failed');
  await app.stop().catch(() => undefined);
  process.exit(1);
}
