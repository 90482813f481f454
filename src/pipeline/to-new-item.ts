import { htmlToText, makeHeadline, normalizeForSearch, stripBoilerplate } from '../text/index.js';
import type { FeedEntry } from '../sources/types.js';
import type { NewItem } from '../store/store.js';

export interface ToNewItemOptions {
  /**
   * Lines the source signs its articles with. The feed's own title is the usual one (a blog ends
   * each post with its name); learning a source's signature from repeated lines comes later.
   */
  signatures?: readonly string[];
}

/**
 * Turns a feed entry into what the store keeps: the display headline (words restored, no markup)
 * and the normalised shadow text the search index sees. Returns null for an entry with no words at all.
 */
export function toNewItem(entry: FeedEntry, options: ToNewItemOptions = {}): NewItem | null {
  const text = stripBoilerplate(htmlToText(entry.html ?? ''), { signatures: options.signatures });
  const headline = makeHeadline({ title: entry.title, text });
  if (!headline) return null;
  return {
    key: entry.key,
    headline,
    link: entry.link,
    publishedAt: entry.publishedAt,
    searchTitle: normalizeForSearch(headline),
    searchBody: normalizeForSearch(text),
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
