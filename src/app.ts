import { run, type RunnerHandle } from '@grammyjs/runner';
import { Api, GrammyError, HttpError } from 'grammy';
import { createBot } from './bot/create-bot.js';
import { createI18n } from './bot/create-i18n.js';
import { registerCommands } from './bot/register-commands.js';
import type { Config } from './config.js';
import { createDeliveryWorker } from './delivery/delivery-worker.js';
import type { Logger } from './logger.js';
import { addSource } from './pipeline/add-source.js';
import { pollAllSources } from './pipeline/poll-all-sources.js';
import { createPollScheduler } from './pipeline/poll-scheduler.js';
import type { PipelineDeps } from './pipeline/ports.js';
import { startHealthServer, type HealthServer } from './server/health-server.js';
import { createFetcher, readSource } from './sources/index.js';
import { openStore } from './store/open-store.js';

export interface App {
  start(): Promise<void>;
  /** Stops taking work, lets in-flight sends finish, closes everything. Safe to call twice. */
  stop(): Promise<void>;
}

/** Telegram refused the token or the API root is wrong: retrying will not help. */
export class FatalStartError extends Error {
  override readonly name = 'FatalStartError';
}

/** The composition root's body: builds every part from the config and wires them together. */
export function createApp({ config, logger }: { config: Config; logger: Logger }): App {
  const store = openStore(config.database);
  const fetcher = createFetcher({
    userAgent: `nashra/${config.version} (Telegram news bot; RSS reader)`,
    allowHosts: config.fetchAllowHosts,
  });
  const pipeline: PipelineDeps = {
    store,
    readSource: (url, cache) => readSource(fetcher, url, cache ?? undefined),
    logger: logger.child({ part: 'pipeline' }),
  };

  // The outbox has its own Api without auto-retry: it decides itself what a 429 or a timeout means.
  const deliveryApi = new Api(config.botToken, { apiRoot: config.telegramApiRoot });
  const delivery = createDeliveryWorker({
    store,
    sendMessage: (chatId, text, other) => deliveryApi.sendMessage(chatId, text, other),
    logger: logger.child({ part: 'delivery' }),
  });

  const scheduler = createPollScheduler({
    cron: config.pollCron,
    logger,
    cycle: async () => {
      const started = Date.now();
      const summary = await pollAllSources(pipeline);
      if (summary.queuedDeliveries > 0) delivery.notify();
      logger.info({ ...summary, ms: Date.now() - started }, 'poll cycle done');
    },
  });

  const i18n = createI18n(config.defaultLocale);
  const bot = createBot({
    token: config.botToken,
    apiRoot: config.telegramApiRoot,
    logger,
    store,
    i18n,
    botAdmins: config.botAdmins,
    addSource: (url) => addSource(pipeline, url),
  });

  let health: HealthServer | null = null;
  let running = false;
  let stopping: Promise<void> | null = null;
  /** Whether start() finished and the app runs. */
  let updates: RunnerHandle | null = null;

  const startAbort = new AbortController();

  /** Asks Telegram who we are, retrying (and saying so) while Telegram cannot be reached. */
  async function initBot(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        // grammY types the signal with the abort-controller shim; the platform one is what it uses at run time.
        bot.botInfo = await bot.api.getMe(startAbort.signal as Parameters<typeof bot.api.getMe>[0]);
        return;
      } catch (err) {
        if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
          throw new FatalStartError('BOT_TOKEN was refused by Telegram (check the token and TELEGRAM_API_ROOT)');
        }
        if (!(err instanceof HttpError) || stopping) throw err;
        const waitMs = Math.min(30_000, 1000 * attempt);
        logger.warn({ err: err.message, attempt, waitMs }, 'cannot reach Telegram yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        if (stopping) return;
      }
    }
  }

  async function addConfiguredSources(): Promise<void> {
    for (const url of config.sources) {
      if (stopping) return;
      try {
        const result = await addSource(pipeline, url);
        if (result.created) logger.info({ url, sourceId: result.source.id }, 'source from SOURCES added');
      } catch (err) {
        if (!stopping) logger.warn({ err, url }, 'source from SOURCES could not be added; will not retry until the next start');
      }
    }
  }

  return {
    async start() {
      // A signal may arrive while we are still starting: every step checks, so nothing starts after stop().
      if (config.httpPort !== 0) {
        health = await startHealthServer({ port: config.httpPort, logger, isHealthy: () => running && !stopping });
      }
      await initBot();
      if (stopping) return;
      logger.info({ username: bot.botInfo.username, id: bot.botInfo.id }, 'bot identified');
      await registerCommands(bot.api, i18n, config.defaultLocale).catch((err: unknown) =>
        logger.warn({ err }, 'could not register the command menu'),
      );
      if (stopping) return;
      await addConfiguredSources();
      if (stopping) return;
      delivery.start();
      scheduler.start();
      running = true;
      // Long polling takes over from any webhook left behind by an earlier deployment.
      await bot.api.deleteWebhook();
      if (stopping) return;
      // The runner handles updates of different chats concurrently (a slow /addsource in one chat does
      // not hold up the others); sequentialize in createBot keeps each chat's updates in order.
      updates = run(bot);
      logger.info('listening for updates (long polling)');
      updates.task()?.then(() => {
        if (stopping) return;
        logger.fatal('update loop stopped unexpectedly');
        process.exitCode = 1;
        void this.stop();
      });
    },
    stop() {
      stopping ??= (async () => {
        logger.info('stopping');
        running = false;
        startAbort.abort();
        // No new polls, no new updates; a running poll cycle is cut short by closing the fetcher.
        const schedulerStopped = scheduler.stop();
        await fetcher.close().catch((err: unknown) => logger.warn({ err }, 'fetcher close failed'));
        // Waits for the handlers of updates already received to finish.
        if (updates?.isRunning()) await updates.stop().catch((err: unknown) => logger.warn({ err }, 'update loop stop failed'));
        await schedulerStopped;
        // In-flight sends finish and are recorded before the database closes.
        await delivery.stop();
        await health?.close();
        await store.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
