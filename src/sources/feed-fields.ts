import { createHash } from 'node:crypto';
import { resolveWebUrl } from './source-url.js';
import { limits, type FeedEntry } from './types.js';

/**
 * Field rules shared by every feed format: trimming, the caps on untrusted fields, links, dates and
 * the identity of entries. Every field from a feed passes through here, so the caps hold everywhere.
 */

/**
 * An entry mapped from any feed format, before its key is made unique within the feed. Every field
 * is required here, the picture too, so no format can forget one.
 */
export type EntryDraft = Omit<FeedEntry, 'key' | 'imageUrl'> & { id: string | null; imageUrl: string | null };

/** Trimmed text, or `null` for anything that is not a non-blank string. */
export function nonEmpty(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  const splitsPair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, splitsPair ? max - 1 : max);
}

/** A title (of a feed or an entry), trimmed and cut to {@link limits}.titleChars. */
export function capTitle(value: unknown): string | null {
  const text = nonEmpty(value);
  return text === null ? null : cutAt(text, limits.titleChars);
}

/** An entry's HTML, trimmed and cut to {@link limits}.entryHtmlChars (markup left open is harmless: it is read as text). */
export function capHtml(value: unknown): string | null {
  const text = nonEmpty(value);
  return text === null ? null : cutAt(text, limits.entryHtmlChars);
}

/**
 * Resolves a link against the document URL, keeping only web links (a `javascript:` link must never
 * be posted). A link longer than {@link limits}.linkChars is dropped, never cut: a cut link leads
 * somewhere else.
 */
export function resolveLink(value: unknown, base: string): string | null {
  const link = nonEmpty(value);
  if (link === null || link.length > limits.linkChars) return null;
  const resolved = resolveWebUrl(link, base);
  return resolved === null || resolved.length > limits.linkChars ? null : resolved;
}

/** Dates longer than this are not dates; Date.parse need not look at them. */
const maxDateChars = 64;

/**
 * Parses a feed date (RFC 822, ISO 8601 and the variants JavaScript understands) to ISO 8601 UTC.
 * A date and time without a zone is taken as UTC, so the result does not depend on the server's zone.
 */
export function toIsoDate(raw: unknown): string | null {
  const value = nonEmpty(raw);
  if (value === null || value.length > maxDateChars) return null;
  const zoneless = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(value);
  const time = Date.parse(zoneless ? `${value.replace(' ', 'T')}Z` : value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function contentHash(title: string | null, html: string | null): string {
  return 'h:' + createHash('sha256').update(`${title ?? ''}\n${html ?? ''}`).digest('hex');
}

/**
 * The form of a link used as an identity: without its fragment and its `utm_*` tracking parameters,
 * which publishers vary between feeds and polls for the same article.
 */
export function linkIdentity(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return link;
  }
  url.hash = '';
  const tracking = [...url.searchParams.keys()].filter((name) => name.toLowerCase().startsWith('utm_'));
  // Rebuilding the query re-encodes it; only do so when there is something to remove, so other keys stay as published.
  if (tracking.length > 0) {
    for (const name of tracking) url.searchParams.delete(name);
    url.search = url.searchParams.toString();
  }
  return url.href;
}

/** Keys longer than the cap are replaced by a hash of themselves: still stable, but bounded. */
function capKey(key: string): string {
  return key.length <= limits.keyChars ? key : 'k:' + createHash('sha256').update(key).digest('hex');
}

function countOf(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/**
 * Gives each entry a key unique within the feed, the identity by which an item is recognised from
 * poll to poll: its guid (or id); else its link without fragment and `utm_*`; else a hash of title and
 * text. So an entry whose title changes keeps its identity when it has a guid or a link.
 *
 * Feeds do repeat guids for different stories (a CMS reusing ids, one guid per category page): then
 * every entry sharing that guid is keyed by guid and link, and where that still repeats, by its content
 * hash too. Every entry of a repeated group is treated alike, so the keys do not depend on the order
 * of the feed. An entry identical in guid, link and content to an earlier one is a true duplicate and
 * is dropped first.
 */
export function withUniqueKeys(drafts: readonly EntryDraft[]): FeedEntry[] {
  const seen = new Set<string>();
  const prepared: Array<{ entry: Omit<EntryDraft, 'id'>; id: string | null; hash: string; link: string | null }> = [];
  for (const { id, ...entry } of drafts) {
    const hash = contentHash(entry.title, entry.html);
    const link = entry.link === null ? null : linkIdentity(entry.link);
    const identity = `${id ?? ''}\n${link ?? ''}\n${hash}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    prepared.push({ entry, id, hash, link });
  }

  const firstKeys = prepared.map(({ id, link, hash }) => id ?? link ?? hash);
  const firstCounts = countOf(firstKeys);
  const secondKeys = prepared.map(({ id, link, hash }, index) => {
    const key = firstKeys[index]!;
    if (firstCounts.get(key) === 1 || key === hash) return key;
    return id !== null && link !== null ? `${id} ${link}` : `${key} ${hash}`;
  });
  const secondCounts = countOf(secondKeys);
  return prepared.map(({ entry, hash }, index) => {
    const second = secondKeys[index]!;
    const key = secondCounts.get(second) === 1 || second.endsWith(hash) ? second : `${second} ${hash}`;
    return { key: capKey(key), ...entry };
  });
}
