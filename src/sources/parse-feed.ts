import { createHash } from 'node:crypto';
import {
  parseFeed,
  type AnyFeed,
  type AtomFeed,
  type JsonFeed,
  type RdfFeed,
  type RssFeed,
} from 'feedsmith';
import { escapeHtml } from '../text/index.js';
import { resolveWebUrl } from './source-url.js';
import type { FeedEntry, ParsedFeed } from './types.js';
import { SourceError } from './types.js';

/** An entry mapped from any feed format, before its key is made unique within the feed. */
type EntryDraft = Omit<FeedEntry, 'key'> & { id: string | null };

/**
 * Parses an RSS 2.0, Atom, RDF (RSS 1.0) or JSON Feed document into nashra's {@link ParsedFeed}.
 *
 * Entity references are decoded exactly once (by the XML parser); links are resolved against
 * `feedUrl` and kept only when they are http(s); dates become ISO 8601 UTC or `null`. Each entry gets
 * a key unique within the feed: its guid/id, else its link, else a hash of title and body.
 *
 * Throws `SourceError('not_a_feed')` for HTML pages, arbitrary JSON, empty or hopelessly broken input.
 */
export function parseFeedDocument(document: string, feedUrl: string): ParsedFeed {
  if (document.trim() === '' || looksLikeHtmlPage(document)) {
    throw new SourceError('not_a_feed', 'document is not a feed', { url: feedUrl });
  }
  const parsed = parseOrRefuse(document, feedUrl);
  const resolve = (link: string | undefined | null): string | null => resolveLink(link, feedUrl);

  switch (parsed.format) {
    case 'rss':
      return {
        format: 'rss',
        title: nonEmpty(parsed.feed.title),
        siteUrl: resolve(parsed.feed.link),
        entries: withUniqueKeys((parsed.feed.items ?? []).map((item) => draftFromRssItem(item, resolve))),
      };
    case 'rdf':
      return {
        format: 'rdf',
        title: nonEmpty(parsed.feed.title),
        siteUrl: resolve(parsed.feed.link),
        entries: withUniqueKeys((parsed.feed.items ?? []).map((item) => draftFromRdfItem(item, resolve))),
      };
    case 'atom':
      return {
        format: 'atom',
        title: nonEmpty(parsed.feed.title?.value),
        siteUrl: resolve(alternateLink(parsed.feed.links)),
        entries: withUniqueKeys((parsed.feed.entries ?? []).map((entry) => draftFromAtomEntry(entry, resolve))),
      };
    case 'json':
      return {
        format: 'json',
        title: nonEmpty(parsed.feed.title),
        siteUrl: resolve(parsed.feed.home_page_url),
        entries: withUniqueKeys((parsed.feed.items ?? []).map((item) => draftFromJsonItem(item, resolve))),
      };
  }
}

/**
 * feedsmith is lenient: bare ampersands, unknown entities and unclosed tags all pass (a test holds it
 * to that), so a document it still rejects is not worth repairing.
 */
function parseOrRefuse(document: string, feedUrl: string): AnyFeed {
  try {
    return parseFeed(document);
  } catch {
    throw new SourceError('not_a_feed', 'document is not a feed', { url: feedUrl });
  }
}

/** An HTML page can mention `<rss` or `<feed` in its text and fool format detection. */
function looksLikeHtmlPage(document: string): boolean {
  const withoutPreamble = document.replace(/^(?:\uFEFF|\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype[^>]*>)*/i, '');
  return /^<html[\s>]/i.test(withoutPreamble);
}

function draftFromRssItem(item: RssFeed.Item<string>, resolve: (link: string | undefined) => string | null): EntryDraft {
  const guid = nonEmpty(item.guid?.value);
  const permalinkGuid = guid !== null && item.guid?.isPermaLink !== false ? resolve(guid) : null;
  return {
    id: guid,
    title: nonEmpty(item.title) ?? nonEmpty(item.dc?.titles?.[0]),
    link: resolve(item.link) ?? permalinkGuid,
    html: nonEmpty(item.content?.encoded) ?? nonEmpty(item.description),
    publishedAt: toIsoDate(item.pubDate) ?? toIsoDate(item.dc?.dates?.[0]),
  };
}

function draftFromRdfItem(item: RdfFeed.Item<string>, resolve: (link: string | undefined) => string | null): EntryDraft {
  return {
    id: null,
    title: nonEmpty(item.title) ?? nonEmpty(item.dc?.titles?.[0]),
    link: resolve(item.link) ?? resolve(item.rdf?.about),
    html: nonEmpty(item.content?.encoded) ?? nonEmpty(item.description),
    publishedAt: toIsoDate(item.dc?.dates?.[0]),
  };
}

function draftFromAtomEntry(
  entry: AtomFeed.Entry<string>,
  resolve: (link: string | undefined) => string | null,
): EntryDraft {
  return {
    id: nonEmpty(entry.id),
    title: nonEmpty(entry.title?.value),
    link: resolve(alternateLink(entry.links)),
    html: atomTextAsHtml(entry.content) ?? atomTextAsHtml(entry.summary),
    publishedAt: toIsoDate(entry.published) ?? toIsoDate(entry.updated) ?? toIsoDate(entry.dc?.dates?.[0]),
  };
}

function draftFromJsonItem(item: JsonFeed.Item<string>, resolve: (link: string | undefined) => string | null): EntryDraft {
  return {
    id: item.id === undefined || item.id === null ? null : nonEmpty(String(item.id)),
    title: nonEmpty(item.title),
    link: resolve(item.url) ?? resolve(item.external_url),
    html: nonEmpty(item.content_html) ?? plainTextAsHtml(item.content_text) ?? plainTextAsHtml(item.summary),
    publishedAt: toIsoDate(item.date_published) ?? toIsoDate(item.date_modified),
  };
}

/** Atom's page link is `rel="alternate"`, which is also what a link without `rel` means. */
function alternateLink(links: ReadonlyArray<AtomFeed.Link<string>> | undefined): string | undefined {
  const alternates = (links ?? []).filter((link) => (link.rel ?? 'alternate').toLowerCase() === 'alternate');
  const html = alternates.find((link) => link.type === undefined || /html/i.test(link.type));
  return (html ?? alternates[0])?.href;
}

/** Atom text constructs default to plain text; the entry's `html` must not read `<` in it as markup. */
function atomTextAsHtml(text: { value?: string; type?: string } | undefined): string | null {
  if (!text) return null;
  const type = (text.type ?? 'text').toLowerCase();
  return type === 'html' || type === 'xhtml' || type.includes('html') ? nonEmpty(text.value) : plainTextAsHtml(text.value);
}

function plainTextAsHtml(text: string | undefined): string | null {
  const value = nonEmpty(text);
  return value === null ? null : escapeHtml(value);
}

/** Resolves a link against the feed URL, keeping only web links (a `javascript:` link must never be posted). */
function resolveLink(link: string | undefined | null, base: string): string | null {
  const value = nonEmpty(link);
  return value === null ? null : resolveWebUrl(value, base);
}

/**
 * Parses a feed date (RFC 822, ISO 8601 and the variants JavaScript understands) to ISO 8601 UTC.
 * A date and time without a zone is taken as UTC, so the result does not depend on the server's zone.
 */
function toIsoDate(raw: string | undefined): string | null {
  const value = nonEmpty(raw);
  if (value === null) return null;
  const zoneless = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(value);
  const time = Date.parse(zoneless ? `${value.replace(' ', 'T')}Z` : value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function nonEmpty(value: string | undefined | null): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function contentHash(title: string | null, html: string | null): string {
  return 'h:' + createHash('sha256').update(`${title ?? ''}\n${html ?? ''}`).digest('hex');
}

/**
 * Gives each entry a key unique within the feed. Feeds do repeat guids for different stories (a CMS
 * reusing ids, or one guid per category page), so a repeated key is extended by the entry's link, then
 * by its content hash. An entry identical in key, link and content to an earlier one is a true
 * duplicate and is dropped.
 */
function withUniqueKeys(drafts: EntryDraft[]): FeedEntry[] {
  const seenKeys = new Set<string>();
  const seenEntries = new Set<string>();
  const entries: FeedEntry[] = [];
  for (const { id, ...entry } of drafts) {
    const hash = contentHash(entry.title, entry.html);
    const base = id ?? entry.link ?? hash;
    const identity = `${base}\n${entry.link ?? ''}\n${hash}`;
    if (seenEntries.has(identity)) continue;
    seenEntries.add(identity);

    const candidates = [base];
    if (entry.link !== null && base !== entry.link) candidates.push(`${base} ${entry.link}`);
    if (base !== hash) candidates.push(`${base} ${hash}`);
    const key = candidates.find((candidate) => !seenKeys.has(candidate));
    if (key === undefined) continue;
    seenKeys.add(key);
    entries.push({ key, ...entry });
  }
  return entries;
}
