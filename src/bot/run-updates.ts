import { run } from '@grammyjs/runner';
import { BotError, GrammyError, HttpError, type Bot, type Transformer } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../logger.js';
import type { BotContext } from './context.js';

/** Telegram refused the token or the API root is wrong: retrying will not help. */
export class BotRefusedError extends Error {
  override readonly name = 'BotRefusedError';
}

/**
 * Asks Telegram who the bot is, retrying (and saying so in the log) while Telegram cannot be
 * reached. Resolves false when `signal` aborted the wait.
 * @throws BotRefusedError when Telegram refuses the token.
 */
export async function identifyBot(bot: Bot<BotContext>, options: { logger: Logger; signal: AbortSignal }): Promise<boolean> {
  const { logger, signal } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      // grammY types the signal with the abort-controller shim; the platform one is what it uses.
      bot.botInfo = await bot.api.getMe(signal as Parameters<typeof bot.api.getMe>[0]);
      return true;
    } catch (err) {
      if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
        throw new BotRefusedError('BOT_TOKEN was refused by Telegram (check the token and TELEGRAM_API_ROOT)');
      }
      if (signal.aborted) return false;
      const retryAfterMs = transientWaitMs(err);
      if (retryAfterMs === null) throw err;
      const waitMs = Math.max(retryAfterMs, Math.min(30_000, 1000 * attempt));
      logger.warn({ err: describeError(err), attempt, waitMs }, 'cannot reach Telegram yet; retrying');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (signal.aborted) return false;
    }
  }
}

/**
 * How long to wait before asking again when `err` is worth retrying (the network, a 5xx, a 429 with
 * its retry_after), or null when it is not.
 */
function transientWaitMs(err: unknown): number | null {
  if (err instanceof HttpError) return 0;
  if (err instanceof GrammyError) {
    if (err.error_code >= 500) return 0;
    if (err.error_code === 429) return Math.min(60, err.parameters.retry_after ?? 1) * 1000;
  }
  return null;
}

/** An error's message for the log: a network error's cause (which names the URL) is left out. */
function describeError(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 300) : 'unknown error';
}

/**
 * Every kind of update a feature handles (commands come as messages and channel posts; the bot's own
 * membership changes as my_chat_member, which Telegram sends only when asked for).
 */
export const handledUpdates = ['message', 'channel_post', 'callback_query', 'inline_query', 'my_chat_member'] as const;

/** The running update loop. */
export interface UpdateLoop {
  /** Stops fetching updates; resolves when the handlers of updates already received have finished. */
  stop(): Promise<void>;
  /** Whether updates are being received (what /readyz reports). */
  isRunning(): boolean;
}

/**
 * Calls the Bot API once more after a blip (the network, a 5xx, a 429): getMe has just answered, so
 * a few quick retries before giving up.
 */
async function withRetries<T>(call: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const retryAfterMs = transientWaitMs(err);
      if (retryAfterMs === null || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.max(retryAfterMs, 1000 * attempt)));
    }
  }
}

/**
 * Starts long polling with grammY's runner: updates of different chats are handled concurrently (a
 * slow /addsource in one chat does not hold up the others), each chat's in order (see createBot).
 * `onCrash` is called if the loop ends by itself. Failed getUpdates calls are reported to `logger`
 * (never the runner's own console output, which prints the request URL and with it the token).
 */
export async function startLongPolling(
  bot: Bot<BotContext>,
  onCrash: () => void,
  options: { logger?: Logger } = {},
): Promise<UpdateLoop> {
  // Long polling takes over from any webhook left behind by an earlier deployment.
  await withRetries(() => bot.api.deleteWebhook());
  // Named, not left to Telegram: it remembers the last list any client asked for, and a list
  // without inline_query or callback_query would silently drop inline search and page buttons.
  if (options.logger) bot.api.config.use(reportFetchFailures(options.logger));
  const handle = run(bot, {
    runner: {
      fetch: { allowed_updates: handledUpdates },
      silent: true,
      // 100 ms more after each failure in a row: Telegram back after an outage is seen within
      // seconds, where the default (doubling, uncapped) could wait an hour.
      retryInterval: 'quadratic',
    },
  });
  let stopping: Promise<void> | null = null;
  void handle.task()?.then(() => {
    if (!stopping) onCrash();
  });
  return {
    stop: () => (stopping ??= handle.isRunning() ? handle.stop() : Promise.resolve()),
    isRunning: () => !stopping && handle.isRunning(),
  };
}

/** The update loop in webhook mode: the HTTP server hands it each update Telegram posts. */
export interface WebhookLoop extends UpdateLoop {
  /**
   * Takes one update, to be handled off the request path: `queued` (answer 200), or `full` / `closed`
   * (answer 503, and Telegram delivers it again later).
   */
  accept(update: { update_id: number }): 'queued' | 'full' | 'closed';
}

export interface WebhookOptions {
  /** WEBHOOK_URL: where Telegram posts updates (https, on a port Telegram allows). */
  url: string;
  /** WEBHOOK_SECRET, sent back by Telegram with every update. */
  secret: string;
  logger: Logger;
  /** Updates handled at once (each chat's still in order, see createBot). Default 500, as the runner. */
  concurrency?: number;
  /** Updates accepted and not yet finished, at most; beyond that the webhook answers 503. Default 2 000. */
  maxPending?: number;
}

/**
 * Starts webhook mode: tells Telegram to post updates to `url` with `secret` (the same update kinds as
 * long polling), and handles the updates it is given through a bounded in-memory queue, `concurrency`
 * at a time. The request that brought an update is answered as soon as it is queued, so a slow handler
 * never makes Telegram time out and resend it. At stop it takes no more updates and finishes those it
 * took; the webhook itself stays set, since other replicas go on serving it.
 */
export async function startWebhook(bot: Bot<BotContext>, options: WebhookOptions): Promise<WebhookLoop> {
  const { logger } = options;
  const concurrency = options.concurrency ?? 500;
  const maxPending = options.maxPending ?? 2000;
  await withRetries(() =>
    bot.api.setWebhook(options.url, { secret_token: options.secret, allowed_updates: handledUpdates }),
  );
  const queue: Update[] = [];
  let active = 0;
  let closed = false;
  let drained: (() => void) | null = null;

  const handleOne = async (update: Update): Promise<void> => {
    try {
      await bot.handleUpdate(update);
    } catch (err) {
      // A handler's error goes to bot.catch, as with the runner; anything else is logged here.
      if (err instanceof BotError) await bot.errorHandler(err);
      else throw err;
    }
  };
  const pump = () => {
    while (active < concurrency && queue.length > 0) {
      const update = queue.shift()!;
      active += 1;
      void handleOne(update)
        .catch((err: unknown) => logger.error({ err, updateId: update.update_id }, 'update handling failed'))
        .finally(() => {
          active -= 1;
          pump();
          if (active === 0 && queue.length === 0) drained?.();
        });
    }
  };

  let stopping: Promise<void> | null = null;
  return {
    accept(update) {
      if (closed) return 'closed';
      if (active + queue.length >= maxPending) return 'full';
      queue.push(update as Update);
      pump();
      return 'queued';
    },
    isRunning: () => !closed,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        closed = true;
        if (active === 0 && queue.length === 0) resolve();
        else drained = resolve;
      })),
  };
}

/** How often a getUpdates failure that goes on is reported again. */
const fetchFailureReportMs = 60_000;

/**
 * An API transformer that logs failed getUpdates calls: a failure at once when it differs from the
 * last one reported, the same failure going on at most once a minute with the count, and when
 * Telegram answers again. Only the error's message and code are logged: a network error's cause
 * names the request URL, token included.
 */
function reportFetchFailures(logger: Logger): Transformer {
  let failures = 0;
  let lastReport = 0;
  let lastKind = '';
  const report = (fields: { err: string; code: unknown }) => {
    failures += 1;
    const now = Date.now();
    const kind = `${String(fields.code)} ${fields.err}`;
    if (kind === lastKind && now - lastReport < fetchFailureReportMs) return;
    lastReport = now;
    lastKind = kind;
    logger.warn({ ...fields, failures }, 'getUpdates failed; retrying');
  };
  return async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    try {
      const answer = await prev(method, payload, signal);
      if (!answer.ok) report({ code: answer.error_code, err: answer.description.slice(0, 300) });
      else if (failures > 0) {
        logger.info({ failures }, 'getUpdates answers again');
        failures = 0;
        lastKind = '';
      }
      return answer;
    } catch (err) {
      // An abort is our own stop, not a failure.
      if (!signal?.aborted) report({ err: err instanceof Error ? err.message : 'unknown error', code: networkErrorCode(err) });
      throw err;
    }
  };
}

/** The system error code (ECONNREFUSED, ECONNRESET…) under grammY's HttpError, if any. */
function networkErrorCode(err: unknown): string | undefined {
  const cause = err instanceof HttpError ? err.error : err;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown; errno?: unknown }).code : undefined;
  return typeof code === 'string' ? code.slice(0, 40) : undefined;
}
