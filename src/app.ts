import { createBot } from './bot/create-bot.js';
import { createI18n } from './bot/create-i18n.js';
import { registerCommands } from './bot/register-commands.js';
import { startLeaderPolling } from './bot/update-leader.js';
import { BotRefusedError, identifyBot, startLongPolling, startWebhook, type UpdateLoop, type WebhookLoop } from './bot/run-updates.js';
import type { Config } from './config.js';
import { createDeliveryWorker } from './delivery/delivery-worker.js';
import { SendPacer, telegramLimits } from './delivery/send-pacer.js';
import { SharedSendPacer } from './delivery/shared-pacer.js';
import { createTelegramSender } from './delivery/telegram-sender.js';
import type { Logger } from './logger.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdminNotifier, createPausedChatNotifier } from './delivery/admin-notices.js';
import { addSource } from './pipeline/add-source.js';
import { createCpuPool } from './pipeline/cpu-pool.js';
import { startLeaseKeeper, type LeaseKeeper } from './pipeline/lease-keeper.js';
import { createSourcePoller } from './pipeline/poll-all-sources.js';
import { createPollScheduler } from './pipeline/poll-scheduler.js';
import { reindexItems } from './pipeline/reindex-items.js';
import type { PipelineDeps } from './pipeline/ports.js';
import { startHealthServer, type HealthServer } from './server/health-server.js';
import { createMetrics, timeFetches } from './server/metrics.js';
import { createReadinessCheck, longestCronGapMs } from './server/readiness.js';
import { createFetcher, readArticlePage, readSource } from './sources/index.js';
import type { Store } from './store/store.js';

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

/**
 * The composition root's body: builds every part from the config and wires them together around the
 * store main opened (awaited: PostgreSQL connects and migrates first); stop() closes it.
 */
export function createApp({ config, logger, store }: { config: Config; logger: Logger; store: Store }): App {
  const metrics = createMetrics({ outbox: store });
  const fetcher = timeFetches(
    createFetcher({ userAgent: `nashra/${config.version} (Telegram news bot; RSS reader)`, allowHosts: config.fetchAllowHosts }),
    (fetch) => metrics.fetchDone(fetch),
  );
  const cpu = createCpuPool({ threads: config.workerThreads });
  const i18n = createI18n(config.defaultLocale);
  // Posts and notices share one connection to the Bot API without auto-retry (see telegram-sender).
  const sender = createTelegramSender({ token: config.botToken, apiRoot: config.telegramApiRoot });
  const { sendMessage } = sender;
  const translateNotice = (id: string, params: Record<string, string | number>) => i18n.t(config.defaultLocale, id, params);
  const notifyAdmins = createAdminNotifier({
    sendMessage,
    admins: config.botAdmins,
    translate: translateNotice,
    logger: logger.child({ part: 'notices' }),
  });
  const pipeline: PipelineDeps = {
    store,
    readSource: (url, options) => readSource(fetcher, url, { ...options, parse: cpu.parseDocument }),
    readPage: (url) => readArticlePage(fetcher, url),
    logger: logger.child({ part: 'pipeline' }),
    cpu,
    postsPerPoll: config.postsPerPoll,
    notify: notifyAdmins,
    events: { onPollDone: (poll) => metrics.pollDone(poll) },
  };

  // One pacer for posts and replies: together they stay under Telegram's limits (a burst of
  // /subscribe from 300 channels lost most confirmations to 429 when replies were not paced).
  const limits = { ...telegramLimits, globalPerSecond: config.sendRatePerSecond };
  const sendPacer = new SendPacer(limits);
  // Several processes on one store (PostgreSQL): the database decides the overall rate and each
  // chat's turn across all of them; this process's pacer still smooths its own sends.
  const sharedTurns = store.exclusive ? undefined : new SharedSendPacer({ store, limits, logger: logger.child({ part: 'delivery' }) });
  const delivery = createDeliveryWorker({
    store,
    sendMessage,
    sendPhoto: sender.sendPhoto,
    // A post whose headline the source corrected is edited in place.
    editMessageText: sender.editMessageText,
    editMessageCaption: sender.editMessageCaption,
    // A digest's heading in the chat's language (/lang, /manage), else the bot's default.
    translate: (language, id, params) => i18n.t(language ?? config.defaultLocale, id, params),
    pacer: sendPacer,
    turns: sharedTurns,
    logger: logger.child({ part: 'delivery' }),
    onSendDone: (send) => metrics.sendDone(send),
    onChatPaused: createPausedChatNotifier({
      sendMessage,
      store,
      translate: translateNotice,
      logger: logger.child({ part: 'notices' }),
    }),
  });

  const poller = createSourcePoller(pipeline, {
    concurrency: config.pollConcurrency,
    perHost: config.pollHostConcurrency,
    onQueued: () => delivery.notify(),
  });
  // How long the main thread was kept from answering, reported with each poll batch.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  /** When the scheduler started and last ticked, for /readyz. */
  const ticks: { startedAt: number | null; lastTickAt: number | null } = { startedAt: null, lastTickAt: null };
  const scheduler = createPollScheduler({
    cron: config.pollCron,
    logger,
    tick: async () => {
      const started = Date.now();
      ticks.lastTickAt = started;
      const summary = await poller.pollDue();
      if (summary.sources === 0 && summary.busy === 0) return;
      logger.info(
        {
          ...summary,
          ms: Date.now() - started,
          loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e5) / 10,
          loopDelayMaxMs: Math.round(loopDelay.max / 1e5) / 10,
        },
        'poll cycle done',
      );
      loopDelay.reset();
    },
  });

  /** Aborted at stop(): long work started by a command (an OPML import) stops taking new items. */
  const stopAbort = new AbortController();
  const bot = createBot({
    stopSignal: stopAbort.signal,
    token: config.botToken,
    apiRoot: config.telegramApiRoot,
    logger,
    store,
    i18n,
    botAdmins: config.botAdmins,
    addSource: (url) => addSource(pipeline, url),
    status: { version: config.version, startedAt: new Date() },
    sendSlots: sendPacer,
    sharedTurns,
  });

  let health: HealthServer | null = null;
  /** Whether start() finished and the app runs (what /healthz reports). */
  let running = false;
  let stopping: Promise<void> | null = null;
  let updates: UpdateLoop | null = null;
  let webhookLoop: WebhookLoop | null = null;
  let leases: LeaseKeeper | null = null;
  let addingSources: Promise<void> | null = null;
  let indexing: Promise<unknown> | null = null;

  const startAbort = new AbortController();

  /**
   * Adds the sources in SOURCES in the background, after the bot answers, concurrently under the
   * poller's limits (overall and per host): start takes seconds whatever the list holds.
   */
  async function addConfiguredSources(): Promise<void> {
    const started = Date.now();
    let added = 0;
    let failed = 0;
    await Promise.all(
      config.sources.map((url) =>
        poller.runForHost(url, async () => {
          if (stopping) return;
          try {
            const result = await addSource(pipeline, url);
            if (result.created) added += 1;
          } catch (err) {
            failed += 1;
            if (!stopping) logger.warn({ err, url }, 'source from SOURCES could not be added; will not retry until the next start');
          }
        }),
      ),
    );
    if (!stopping) logger.info({ sources: config.sources.length, added, failed, ms: Date.now() - started }, 'sources from SOURCES read');
  }

  return {
    async start() {
      // A signal may arrive while we are still starting: every step checks, so nothing starts after stop().
      if (config.botAdmins.size === 0) logger.warn('BOT_ADMINS is empty: nobody can add or remove sources from Telegram');
      if (config.httpPort !== 0) {
        const webhook = config.webhook;
        health = await startHealthServer({
          port: config.httpPort,
          logger,
          isAlive: () => !stopping,
          ready: createReadinessCheck({
            pingDatabase: () => store.getIndexState(),
            scheduler: () => ticks,
            tickGapMs: longestCronGapMs(config.pollCron),
            updatesRunning: () => running && (updates?.isRunning() ?? false),
          }),
          metrics,
          // Updates that arrive before the loop runs (the bot not yet identified) get a 503: Telegram retries.
          webhook: webhook
            ? {
                path: webhook.path,
                secret: webhook.secret,
                accept: (update) => webhookLoop?.accept(update) ?? 'closed',
                onRequest: (result) => metrics.webhookRequest(result),
              }
            : undefined,
        });
      }
      if (!(await identifyBot(bot, { logger, signal: startAbort.signal })) || stopping) return;
      logger.info({ username: bot.botInfo.username, id: bot.botInfo.id, open: `https://t.me/${bot.botInfo.username}` }, 'bot identified');
      await registerCommands(bot.api, i18n, config.defaultLocale, config.botAdmins, (adminId, err) =>
        logger.info({ adminId, err }, 'no admin command menu for this bot admin yet (has not started the bot?)'),
      ).catch((err: unknown) =>
        logger.warn({ err }, 'could not register the command menu'),
      );
      if (stopping) return;
      loopDelay.enable();
      // Its leases name this process: a person reading the tables can tell which replica holds what.
      logger.info({ ownerId: store.ownerId, sharedStore: !store.exclusive }, 'taking work as this owner');
      leases = startLeaseKeeper({ store, logger: logger.child({ part: 'leases' }), onTakenOver: () => delivery.notify() });
      delivery.start();
      scheduler.start();
      ticks.startedAt = Date.now();
      running = true;
      const loop = config.webhook
        ? (webhookLoop = await startWebhook(bot, { url: config.webhook.url, secret: config.webhook.secret, logger }))
        : // Telegram allows one getUpdates consumer per token: the holder of the store's getUpdates lease.
          await startLeaderPolling({
            lead: () => store.leadUpdates(),
            startPolling: () =>
              startLongPolling(bot, () => {
                logger.fatal('update loop stopped unexpectedly');
                process.exitCode = 1;
                void this.stop();
              }, { logger }),
            logger,
          });
      updates = loop;
      // stop() may have run while setWebhook or deleteWebhook was in flight: it could not see the loop yet.
      if (stopping) await loop.stop();
      else {
        if (config.webhook) logger.info({ path: config.webhook.path }, 'listening for updates (webhook)');
        else logger.info('listening for updates (long polling)');
        // Returns at once when the index was built by today's word rules; else rebuilds it in the
        // background while search keeps answering from the old one.
        // Another replica rebuilding it: this one looks again each minute, and carries the rebuild on
        // should that replica die before it finished.
        indexing = (async () => {
          while (!stopAbort.signal.aborted) {
            const result = await reindexItems(pipeline, { signal: stopAbort.signal });
            if (result.rebuilt || result.reason !== 'elsewhere') return;
            await sleep(60_000, undefined, { signal: stopAbort.signal }).catch(() => undefined);
          }
        })().catch((err: unknown) => logger.error({ err }, 'search index rebuild failed'));
        if (config.sources.length > 0) {
          addingSources = addConfiguredSources().catch((err: unknown) => logger.error({ err }, 'adding SOURCES failed'));
        }
      }
    },
    stop() {
      stopping ??= (async () => {
        logger.info('stopping');
        running = false;
        startAbort.abort();
        stopAbort.abort();
        // No new polls, no new updates; a running poll cycle is cut short by closing the fetcher.
        const schedulerStopped = scheduler.stop();
        await fetcher.close().catch((err: unknown) => logger.warn({ err }, 'fetcher close failed'));
        // Waits, side by side and within the shutdown budget, for the handlers of updates already
        // received, sources still being added, and a rebuild of the index (it stops between batches
        // and resumes at the next start).
        await Promise.all([
          withinMs(updates?.stop(), 4000).catch((err: unknown) => logger.warn({ err }, 'update loop stop failed')),
          withinMs(addingSources ?? undefined, 4000),
          withinMs(indexing ?? undefined, 4000),
        ]);
        await schedulerStopped;
        // In-flight sends finish and are recorded before the database closes.
        await delivery.stop({ graceMs: 4000 });
        await leases?.stop();
        await health?.close();
        loopDelay.disable();
        metrics.close();
        await cpu.close().catch((err: unknown) => logger.warn({ err }, 'worker pool close failed'));
        await store.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
