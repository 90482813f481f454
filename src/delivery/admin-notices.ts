import type { Logger } from '../logger.js';
import type { SourceNotice } from '../pipeline/ports.js';
import type { Store } from '../store/store.js';
import type { SendMessage } from './delivery-worker.js';
import { cleanDisplayText, escapeHtml } from '../text/index.js';

/** Renders a notice in the bot admins' language; the app passes its i18n. */
export type TranslateNotice = (id: string, params: Record<string, string | number>) => string;

const maxErrorShown = 200;

/** The message for a notice: which source, and what happened to it. */
export function renderNotice(notice: SourceNotice, t: TranslateNotice): string {
  const params = {
    id: notice.source.id,
    title: escapeHtml(cleanDisplayText(notice.source.title ?? notice.source.url).slice(0, 200)),
  };
  switch (notice.kind) {
    case 'paused':
      return t('notice-source-paused', { ...params, failures: notice.failures, error: escapeHtml(notice.error.slice(0, maxErrorShown)) });
    case 'retired':
      return t('notice-source-retired', { ...params, error: escapeHtml(notice.error.slice(0, maxErrorShown)) });
    case 'flooding':
      return t('notice-source-flooding', { ...params, fresh: notice.newEntries, entries: notice.entries, polls: notice.polls });
  }
}

/**
 * Tells every bot admin, in private, what happened to a source. Best effort: an admin who never
 * started the bot cannot be written to (Telegram answers 403), which is logged and skipped.
 */
export function createAdminNotifier(options: {
  sendMessage: SendMessage;
  admins: ReadonlySet<number>;
  translate: TranslateNotice;
  logger: Logger;
}): (notice: SourceNotice) => void {
  return (notice) => {
    const text = renderNotice(notice, options.translate);
    options.logger.info({ notice: notice.kind, sourceId: notice.source.id, admins: options.admins.size }, 'telling the bot admins');
    for (const admin of options.admins) {
      void tellInPrivate(options.sendMessage, admin, text).catch((err: unknown) =>
        options.logger.warn({ err, admin, notice: notice.kind }, 'could not tell a bot admin'),
      );
    }
  };
}

/** One notice to one person, in private, as HTML without a link preview. */
function tellInPrivate(sendMessage: SendMessage, userId: number, text: string): Promise<unknown> {
  return sendMessage(userId, text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
}

// Telegram's stand-in sender of anonymous group admins' messages: not a person one can write to.
const groupAnonymousBotId = 1087968824;

/**
 * Tells whoever subscribed a chat, in private, that posting there stopped and how to resume it
 * (issue 13 §4). Best effort, like createAdminNotifier: a person who never started the bot cannot be
 * written to; that is logged and skipped. Subscriptions made by an anonymous admin have nobody to tell.
 */
export function createPausedChatNotifier(options: {
  sendMessage: SendMessage;
  store: Pick<Store, 'getChat' | 'listSubscriptions'>;
  translate: TranslateNotice;
  logger: Logger;
}): (paused: { chatId: number; reason: string }) => void {
  const { store, translate, logger } = options;
  return ({ chatId, reason }) => {
    void (async () => {
      const [chat, subscriptions] = await Promise.all([store.getChat(chatId), store.listSubscriptions(chatId)]);
      const people = new Set(
        subscriptions.map((subscription) => subscription.subscribedBy).filter((id): id is number => id !== null && id > 0 && id !== groupAnonymousBotId),
      );
      if (people.size === 0) return;
      const name = chat?.title ?? (chat?.username ? `@${chat.username}` : String(chatId));
      const text = translate('notice-chat-paused', {
        chat: escapeHtml(cleanDisplayText(name).slice(0, 200)),
        error: escapeHtml(reason.slice(0, maxErrorShown)),
      });
      logger.info({ chatId, people: people.size }, 'telling who subscribed a paused chat');
      for (const person of people) {
        await tellInPrivate(options.sendMessage, person, text).catch((err: unknown) => logger.warn({ err, person, chatId }, 'could not tell who subscribed a paused chat'));
      }
    })().catch((err: unknown) => logger.error({ err, chatId }, 'could not look up who subscribed a paused chat'));
  };
}
