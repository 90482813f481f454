import { autoRetry } from '@grammyjs/auto-retry';
import type { I18n } from '@grammyjs/i18n';
import { sequentialize } from '@grammyjs/runner';
import { Bot, GrammyError } from 'grammy';
import type { Logger } from '../logger.js';
import type { AddSourceResult } from '../pipeline/add-source.js';
import { importSources, type ImportSourcesOptions, type ImportSummary } from '../pipeline/import-sources.js';
import { downloadTelegramFile } from '../sources/telegram-file.js';
import type { Store } from '../store/store.js';
import type { BotContext } from './context.js';
import { createHelpFeature } from './features/help.js';
import { createInlineSearchFeature } from './features/inline-search.js';
import { createLangFeature } from './features/lang.js';
import { createLatestFeature } from './features/latest.js';
import { createManageFeature } from './features/manage.js';
import { createMembershipFeature } from './features/membership.js';
import { createOpmlFeature } from './features/opml.js';
import { createSearchFeature } from './features/search.js';
import { createSourcesFeature } from './features/sources.js';
import { createStatusFeature, type StatusFacts } from './features/status.js';
import { createSubscriptionsFeature } from './features/subscriptions.js';
import { createUnknownCommandFeature } from './features/unknown-command.js';
import { paceReplies, type SendSlots, type SharedTurns } from './pace-replies.js';
import { replyHtml } from './reply.js';
import { SearchRateLimiter } from './search-rate-limit.js';

export interface CreateBotDeps {
  token: string;
  apiRoot: string;
  logger: Logger;
  store: Store;
  i18n: I18n<BotContext>;
  botAdmins: ReadonlySet<number>;
  addSource: (url: string) => Promise<AddSourceResult>;
  /** OPML imports; default: `importSources` over `addSource`. */
  importSources?: (urls: string[], options: ImportSourcesOptions) => Promise<ImportSummary>;
  onSourcesChanged?: () => void;
  /** Aborted when the app stops: a long OPML import stops taking new sources. */
  stopSignal?: AbortSignal;
  /** Version and start time for /status; default: version unknown, started when the bot was built. */
  status?: StatusFacts;
  /** Turns for message sends under Telegram's flood limits, shared with the outbox; absent: replies are not paced. */
  sendSlots?: SendSlots;
  /** Several replicas on one store: replies also take turns from the budget they share. */
  sharedTurns?: SharedTurns;
  /** The clock /manage's open questions expire by; default: the system's. */
  now?: () => Date;
}

/** Builds the grammY bot: one feature per command family, mounted in order, the catch-all last. */
export function createBot(deps: CreateBotDeps): Bot<BotContext> {
  const { logger } = deps;
  // Long polls last 30 s; anything slower than 60 s is a network problem, not a slow answer.
  const bot = new Bot<BotContext>(deps.token, { client: { apiRoot: deps.apiRoot, timeoutSeconds: 60 } });
  // Each message send waits for its turn under Telegram's limits, shared with the outbox (installed
  // first, so it runs inside auto-retry: a resend after a 429 takes a new turn too).
  if (deps.sendSlots) bot.api.config.use(paceReplies(deps.sendSlots, deps.sharedTurns));
  // Replies to commands may wait out a short flood limit or a 5xx; the outbox has its own rules.
  // Network errors are not retried here: auto-retry would retry them forever, and updates are
  // handled in order, so one hung reply would hold up every other user.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 30, rethrowHttpErrors: true }));

  // Updates of one chat are handled in order; different chats concurrently (see app.ts).
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use((ctx, next) => {
    ctx.log = logger.child({ updateId: ctx.update.update_id, chatId: ctx.chat?.id, userId: ctx.from?.id });
    return next();
  });
  // The chat's own language (/lang, /manage), read before i18n picks the language of the answer.
  bot.use(async (ctx, next) => {
    if (ctx.chat) {
      try {
        ctx.chatLanguage = (await deps.store.getChatSettings(ctx.chat.id)).language;
      } catch (err) {
        ctx.log.warn({ err }, 'could not read the chat language; using the sender’s');
      }
    }
    return next();
  });
  bot.use(deps.i18n);
  bot.use(createHelpFeature());
  bot.use(createLangFeature({ store: deps.store }));
  // Before search: a private message may be the answer to the menu's "send me the word".
  bot.use(createManageFeature({ store: deps.store, now: deps.now }));
  // One budget per user for /search, plain-text searches, page buttons and inline queries.
  const searchLimiter = new SearchRateLimiter();
  bot.use(createSearchFeature({ store: deps.store, limiter: searchLimiter }));
  bot.use(createInlineSearchFeature({ store: deps.store, limiter: searchLimiter }));
  bot.use(createLatestFeature({ store: deps.store }));
  bot.use(
    createSourcesFeature({
      store: deps.store,
      botAdmins: deps.botAdmins,
      addSource: deps.addSource,
      onSourcesChanged: deps.onSourcesChanged,
    }),
  );
  bot.use(
    createOpmlFeature({
      store: deps.store,
      botAdmins: deps.botAdmins,
      importSources:
        deps.importSources ??
        ((urls, options) => importSources({ addSource: deps.addSource, logger: logger.child({ part: 'import' }) }, urls, {
            signal: deps.stopSignal,
            ...options,
          })),
      downloadFile: (filePath, maxBytes) => downloadTelegramFile({ apiRoot: deps.apiRoot, token: deps.token, filePath, maxBytes }),
      onSourcesChanged: deps.onSourcesChanged,
    }),
  );
  bot.use(createMembershipFeature({ store: deps.store }));
  bot.use(createSubscriptionsFeature({ store: deps.store }));
  bot.use(
    createStatusFeature({
      store: deps.store,
      botAdmins: deps.botAdmins,
      facts: deps.status ?? { version: 'unknown', startedAt: new Date() },
    }),
  );
  bot.use(createUnknownCommandFeature());

  bot.catch(async ({ ctx, error }) => {
    const log = ctx.log ?? logger;
    const context =
      error instanceof GrammyError ? { method: error.method, code: error.error_code, description: error.description } : {};
    log.error({ err: error, ...context, text: ctx.msg?.text?.slice(0, 200) }, 'update failed');
    try {
      if (ctx.chat && typeof ctx.t === 'function') await replyHtml(ctx, ctx.t('error-generic'));
    } catch (replyErr) {
      log.warn({ err: replyErr }, 'could not tell the user about the failure');
    }
  });
  return bot;
}
