import { InlineKeyboard } from 'grammy';
import { cleanDisplayText, cutText, escapeHtml, startsRightToLeft } from '../text/index.js';
import type { ItemRecord } from '../store/store.js';
import type { BotContext } from './context.js';
import { pageButtonData } from './search-pages.js';

/** "5 min", "3 h", "2 d": how long, in the reader's language. */
export function formatDuration(ctx: BotContext, ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return ctx.t('duration-seconds', { n: seconds });
  if (seconds < 3600) return ctx.t('duration-minutes', { n: Math.round(seconds / 60) });
  if (seconds < 86_400) return ctx.t('duration-hours', { n: Math.round(seconds / 3600) });
  return ctx.t('duration-days', { n: Math.round(seconds / 86_400) });
}

/** A day as YYYY-MM-DD: the same for every reader, whatever their locale. */
export function formatDay(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '';
}

/** A numbered list of linked headlines with source and date, escaped for HTML parse mode. */
export function renderItemList(ctx: BotContext, header: string, items: ItemRecord[]): string {
  const lines = items.map((item, index) => {
    const headline = escapeHtml(startsRightToLeft(displayText(item.headline)));
    const title = item.link ? `<a href="${escapeHtml(item.link)}">${headline}</a>` : headline;
    const meta = ctx.t('item-meta', {
      source: escapeHtml(displayText(item.sourceTitle ?? '')),
      date: formatDay(item.publishedAt ?? item.firstSeenAt),
    });
    return `${index + 1}. ${title}\n${meta}`;
  });
  return [header, '', lines.join('\n\n')].join('\n');
}

/** How a source is named in answers: its title (else its URL), cleaned, capped and escaped for HTML. */
export function sourceLabel(source: { title: string | null; url?: string }, max = 120): string {
  return escapeHtml(cutText(displayText(source.title ?? source.url ?? ''), max));
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

/**
 * Feed text made safe to show on one line: no bidi or control characters (text/'s cleanDisplayText;
 * our own RLM is added after, by startsRightToLeft), whitespace collapsed, trimmed.
 */
export function displayText(text: string): string {
  return cleanDisplayText(text).replace(/\s+/g, ' ').trim();
}

/** Most matched words we look for in one snippet (the query has at most 12, each in a few forms). */
const maxSnippetMatches = 40;

/**
 * A plain-text snippet as HTML: escaped, each occurrence of a matched word in <b>. Where two
 * matches overlap, the one starting first wins, and the longer one when they start together.
 * Runs in O(snippet × matches) with plain indexOf: no regex over feed text.
 */
export function highlightSnippet(snippet: string, matches: readonly string[]): string {
  const spans: Array<{ start: number; end: number }> = [];
  const words = [...new Set(matches.filter((word) => word.length > 0))].slice(0, maxSnippetMatches);
  for (const word of words) {
    for (let at = snippet.indexOf(word); at !== -1; at = snippet.indexOf(word, at + word.length)) {
      spans.push({ start: at, end: at + word.length });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let html = '';
  let index = 0;
  for (const span of spans) {
    if (span.start < index) continue;
    html += `${escapeHtml(snippet.slice(index, span.start))}<b>${escapeHtml(snippet.slice(span.start, span.end))}</b>`;
    index = span.end;
  }
  return html + escapeHtml(snippet.slice(index));
}

/** Caps that keep a page of five results within one message (4,096 visible characters). */
export const resultLimits = { headline: 300, source: 80, snippet: 200, link: 2048 } as const;

/** One search result as shown to a reader. */
export interface RenderableResult extends ItemRecord {
  snippet?: string;
  snippetMatches?: readonly string[];
}

/**
 * One page of search results as a single message: a header, then for each result its number and
 * linked headline, source · date, and the snippet with the matched words in bold. Every line that
 * has Arabic reads right to left even when it starts with Latin or a number. `offset` numbers the
 * results across pages (page 2 starts at 6).
 */
export function renderSearchPage(ctx: BotContext, header: string, results: readonly RenderableResult[], offset = 0): string {
  const blocks = results.map((result, index) => {
    const headline = escapeHtml(startsRightToLeft(cutText(displayText(result.headline), resultLimits.headline)));
    const link = result.link && result.link.length <= resultLimits.link ? result.link : null;
    const title = link ? `<a href="${escapeHtml(link)}">${headline}</a>` : headline;
    const meta = ctx.t('item-meta', {
      source: escapeHtml(cutText(displayText(result.sourceTitle ?? ''), resultLimits.source)),
      date: formatDay(result.publishedAt ?? result.firstSeenAt),
    });
    const lines = [`${offset + index + 1}. ${title}`, startsRightToLeft(meta)];
    const snippet = cutText(displayText(result.snippet ?? ''), resultLimits.snippet);
    if (snippet !== '') {
      const rtl = startsRightToLeft(snippet) !== snippet ? '\u200F' : '';
      lines.push(rtl + highlightSnippet(snippet, result.snippetMatches ?? []));
    }
    return lines.join('\n');
  });
  return [header, '', blocks.join('\n\n')].join('\n');
}

/**
 * The buttons under a paged answer: previous, the page number (1-based), next. Only the buttons
 * that lead somewhere are shown; the page number stays so the row does not jump around.
 */
export function searchPageKeyboard(ctx: BotContext, id: string, page: number, hasMore: boolean): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (page > 0) keyboard.text(ctx.t('search-page-previous'), pageButtonData(id, page - 1));
  keyboard.text(ctx.t('search-page-number', { page: page + 1 }), pageButtonData(id, page));
  if (hasMore) keyboard.text(ctx.t('search-page-next'), pageButtonData(id, page + 1));
  return keyboard;
}
