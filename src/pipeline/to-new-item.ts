import { createHash } from 'node:crypto';
import {
  htmlToText,
  indexTokens,
  makeHeadline,
  makeSummary,
  restoreBrokenWords,
  stripBoilerplate,
  textRulesVersion,
} from '../text/index.js';
import type { FeedEntry } from '../sources/types.js';
import type { NewItem } from '../store/store.js';

/** An article's kept text is cut here (characters): enough for any news story, bounded for a hostile one. */
export const maxBodyTextLength = 16_000;

export interface ToNewItemOptions {
  /**
   * Lines the source signs its articles with: the feed's own title (a blog ends each post with its
   * name) and the lines learned from the source's items (see learnSourceSignatures).
   */
  signatures?: readonly string[];
}

/**
 * Cuts `text` to at most `max` characters, at the last line or word break before the limit when there
 * is one in its last quarter, never inside a surrogate pair.
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const lineBreak = text.lastIndexOf('\n', max);
  const space = text.lastIndexOf(' ', max);
  const boundary = Math.max(lineBreak, space);
  if (boundary > max * 0.75) end = boundary;
  else if (text.charCodeAt(end) >= 0xdc00 && text.charCodeAt(end) <= 0xdfff) end -= 1;
  return text.slice(0, end).trimEnd();
}

/** Hex characters of the title hash kept: 128 bits, enough that two different titles never share one. */
const titleHashHexChars = 32;

/**
 * A fingerprint of the title exactly as the feed gave it (before any text rule, so a change of
 * nashra's rules never looks like an edit by the source): the first 32 hex characters of its
 * sha256, or null for an entry without a title.
 */
export function titleHash(title: string | null): string | null {
  return title === null ? null : createHash('sha256').update(title).digest('hex').slice(0, titleHashHexChars);
}

/**
 * Turns a feed entry into what the store keeps: the display headline (words restored, no markup),
 * the article's text without boilerplate (for snippets and for rebuilding the index), the lead
 * sentences as a summary (text/'s makeSummary, null when the body has nothing beyond the headline),
 * the entry's picture, a hash of its raw title (to notice a corrected headline), and the tokens the
 * search index receives, made by text/'s indexTokens. Returns null for an entry with no words at all.
 */
export function toNewItem(entry: FeedEntry, options: ToNewItemOptions = {}): NewItem | null {
  const text = stripBoilerplate(htmlToText(entry.html ?? ''), { signatures: options.signatures });
  const headline = makeHeadline({ title: entry.title, text });
  if (!headline) return null;
  const bodyText = capText(restoreBrokenWords(text), maxBodyTextLength);
  return {
    key: entry.key,
    headline,
    link: entry.link,
    publishedAt: entry.publishedAt,
    searchTitle: indexTokens(headline),
    searchBody: indexTokens(bodyText),
    bodyText,
    textVersion: textRulesVersion,
    summary: makeSummary(bodyText, headline),
    imageUrl: entry.imageUrl ?? null,
    titleHash: titleHash(entry.title),
  };
}

/**
 * Maps every entry, dropping those with nothing to show, oldest first: feeds list the newest on top,
 * and a channel should read its posts in the order they were published.
 */
export function toNewItems(entries: FeedEntry[], options: ToNewItemOptions = {}): NewItem[] {
  const items: NewItem[] = [];
  for (const entry of [...entries].reverse()) {
    const item = toNewItem(entry, options);
    if (item) items.push(item);
  }
  // When every entry has a date, trust the dates (some feeds are not sorted); else the feed's order.
  const times = items.map((item) => (item.publishedAt ? Date.parse(item.publishedAt) : Number.NaN));
  if (times.some((time) => Number.isNaN(time))) return items;
  return items
    .map((item, index) => ({ item, index, time: times[index]! }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ item }) => item);
}
