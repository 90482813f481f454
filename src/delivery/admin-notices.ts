import { Api } from 'grammy';
import type { Logger } from '../logger.js';
import type { SourceNotice } from '../pipeline/ports.js';
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
  token: string;
  apiRoot: string;
  admins: ReadonlySet<number>;
  translate: TranslateNotice;
  logger: Logger;
}): (notice: SourceNotice) => void {
  const api = new Api(options.token, { apiRoot: options.apiRoot, timeoutSeconds: 30 });
  return (notice) => {
    const text = renderNotice(notice, options.translate);
    options.logger.info({ notice: notice.kind, sourceId: notice.source.id, admins: options.admins.size }, 'telling the bot admins');
    for (const admin of options.admins) {
      api
        .sendMessage(admin, text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } })
        .catch((err: unknown) => options.logger.warn({ err, admin, notice: notice.kind }, 'could not tell a bot admin'));
    }
  };
}
