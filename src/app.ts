import { createBot } from './bot/create-bot.js';
import { createI18n } from './bot/create-i18n.js';
import { registerCommands } from './bot/register-commands.js';
import { BotRefusedError, identifyBot, startLongPolling, type UpdateLoop } from './bot/run-updates.js';
import type { Config } from './config.js';
import { createDeliveryWorker } from './delivery/delivery-worker.js';
import { createTelegramSendMessage } from './delivery/telegram-sender.js';
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

export { BotRefusedError };

/** Waits for `promise`, but no longer than `ms` (the process must exit within 10 s of a signal). */
async function withinMs(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
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

  const delivery = createDeliveryWorker({
    store,
    sendMessage: createTelegramSendMessage({ token: config.botToken, apiRoot: config.telegramApiRoot }),
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
  /** Whether start() finished and the app runs (what /healthz reports). */
  let running = false;
  let stopping: Promise<void> | null = null;
  let updates: UpdateLoop | null = null;

  const startAbort = new AbortController();

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
      if (config.botAdmins.size === 0) logger.warn('BOT_ADMINS is empty: nobody can add or remove sources from Telegram');
      if (config.httpPort !== 0) {
        health = await startHealthServer({ port: config.httpPort, logger, isHealthy: () => running && !stopping });
      }
      if (!(await identifyBot(bot, { logger, signal: startAbort.signal })) || stopping) return;
      logger.info({ username: bot.botInfo.username, id: bot.botInfo.id, open: `https://t.me/${bot.botInfo.username}` }, 'bot identified');
      await registerCommands(bot.api, i18n, config.defaultLocale).catch((err: unknown) =>
        logger.warn({ err }, 'could not register the command menu'),
      );
      if (stopping) return;
      await addConfiguredSources();
      if (stopping) return;
      delivery.start();
      scheduler.start();
      running = true;
      const loop = await startLongPolling(bot, () => {
        logger.fatal('update loop stopped unexpectedly');
        process.exitCode = 1;
        void this.stop();
      });
      updates = loop;
      // stop() may have run while deleteWebhook was in flight: it could not see the loop yet.
      if (stopping) await loop.stop();
      else logger.info('listening for updates (long polling)');
    },
    stop() {
      stopping ??= (async () => {
        logger.info('stopping');
        running = false;
        startAbort.abort();
        // No new polls, no new updates; a running poll cycle is cut short by closing the fetcher.
        const schedulerStopped = scheduler.stop();
        await fetcher.close().catch((err: unknown) => logger.warn({ err }, 'fetcher close failed'));
        // Waits for the handlers of updates already received to finish, within the shutdown budget.
        await withinMs(updates?.stop(), 4000).catch((err: unknown) => logger.warn({ err }, 'update loop stop failed'));
        await schedulerStopped;
        // In-flight sends finish and are recorded before the database closes.
        await delivery.stop({ graceMs: 4000 });
        await health?.close();
        await store.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
