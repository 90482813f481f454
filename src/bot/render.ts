import { escapeHtml, startsRightToLeft } from '../text/index.js';
import type { ItemRecord } from '../store/store.js';
import type { BotContext } from './context.js';

/** A day as YYYY-MM-DD: the same for every reader, whatever their locale. */
export function formatDay(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '';
}

/** A numbered list of linked headlines with source and date, escaped for HTML parse mode. */
export function renderItemList(ctx: BotContext, header: string, items: ItemRecord[]): string {
  const lines = items.map((item, index) => {
    const headline = escapeHtml(startsRightToLeft(item.headline));
    const title = item.link ? `<a href="${escapeHtml(item.link)}">${headline}</a>` : headline;
    const meta = ctx.t('item-meta', {
      source: escapeHtml(item.sourceTitle ?? ''),
      date: formatDay(item.publishedAt ?? item.firstSeenAt),
    });
    return `${index + 1}. ${title}\n${meta}`;
  });
  return [header, '', lines.join('\n\n')].join('\n');
}

/** How a chat is named in answers: @username, else its title, else its id. */
export function chatLabel(chat: { id: number; title?: string | null; username?: string | null }): string {
  if (chat.username) return `@${escapeHtml(chat.username)}`;
  if (chat.title) return `<b>${escapeHtml(chat.title)}</b>`;
  return `<code>${chat.id}</code>`;
}

/** The words after the command, split on whitespace. */
export function commandArgs(ctx: BotContext): string[] {
  const match = typeof ctx.match === 'string' ? ctx.match : '';
  return match.split(/\s+/).filter((part) => part.length > 0);
}
