import { run } from '@grammyjs/runner';
import { GrammyError, HttpError, type Bot } from 'grammy';
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
      if (!(err instanceof HttpError)) throw err;
      const waitMs = Math.min(30_000, 1000 * attempt);
      logger.warn({ err: err.message, attempt, waitMs }, 'cannot reach Telegram yet; retrying');
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
 * Every kind of update a feature handles (commands come as messages and channel posts; the bot's own
 * membership changes as my_chat_member, which Telegram sends only when asked for).
 */
export const handledUpdates = ['message', 'channel_post', 'callback_query', 'inline_query', 'my_chat_member'] as const;

/** The running update loop. */
export interface UpdateLoop {
  /** Stops fetching updates; resolves when the handlers of updates already received have finished. */
  stop(): Promise<void>;
}

/**
 * Starts long polling with grammY's runner: updates of different chats are handled concurrently (a
 * slow /addsource in one chat does not hold up the others), each chat's in order (see createBot).
 * `onCrash` is called if the loop ends by itself.
 */
export async function startLongPolling(bot: Bot<BotContext>, onCrash: () => void): Promise<UpdateLoop> {
  // Long polling takes over from any webhook left behind by an earlier deployment. getMe has just
  // answered, so a network error here is a blip: a few quick retries before giving up.
  for (let attempt = 1; ; attempt++) {
    try {
      await bot.api.deleteWebhook();
      break;
    } catch (err) {
      if (!(err instanceof HttpError) || attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
  // Named, not left to Telegram: it remembers the last list any client asked for, and a list
  // without inline_query or callback_query would silently drop inline search and page buttons.
  const handle = run(bot, { runner: { fetch: { allowed_updates: handledUpdates } } });
  let stopping: Promise<void> | null = null;
  void handle.task()?.then(() => {
    if (!stopping) onCrash();
  });
  return {
    stop: () => (stopping ??= handle.isRunning() ? handle.stop() : Promise.resolve()),
  };
}
