import {
  parseFeed,
  type AnyFeed,
  type AtomFeed,
  type JsonFeed,
  type RdfFeed,
  type RssFeed,
} from 'feedsmith';
import { escapeHtml } from '../text/index.js';
import { looksLikeHtmlPage } from './document-prolog.js';
import { firstImageUrl, htmlImages, imageAttachments, mediaImages } from './entry-image.js';
import { capHtml, capTitle, nonEmpty, resolveLink, toIsoDate, withUniqueKeys, type EntryDraft } from './feed-fields.js';
import { limits, SourceError, type ParsedFeed } from './types.js';

type Resolve = (link: unknown) => string | null;
type Image = (entryLink: string | null, candidates: Iterable<unknown>) => string | null;

/**
 * Parses an RSS 0.9x/2.0, Atom, RDF (RSS 1.0) or JSON Feed 1.0/1.1 document into nashra's {@link ParsedFeed}.
 *
 * Entity references are decoded exactly once (by the XML parser); links are resolved against
 * `feedUrl` and kept only when they are http(s); dates become ISO 8601 UTC or `null`. An entry's
 * picture is taken from where its format puts one (entry-image.ts), resolved against the entry's link.
 * Each entry gets a key unique within the feed (see {@link withUniqueKeys}). Fields are capped
 * ({@link limits}): titles and HTML are cut, over-long links and pictures dropped, entries beyond the
 * cap counted in `droppedEntries`.
 *
 * Throws `SourceError('not_a_feed')` for HTML pages, arbitrary JSON, empty or hopelessly broken input.
 * It does not check for entity declarations: {@link parseDocument} refuses those before calling it.
 */
export function parseFeedDocument(document: string, feedUrl: string): ParsedFeed {
  if (document.trim() === '' || looksLikeHtmlPage(document)) {
    throw new SourceError('not_a_feed', 'document is not a feed', { url: feedUrl });
  }
  const parsed = parseOrRefuse(document, feedUrl);
  const resolve: Resolve = (link) => resolveLink(link, feedUrl);
  // Pictures are resolved against the entry's own link, where its HTML was written.
  const image: Image = (link, candidates) => firstImageUrl(candidates, link ?? feedUrl);

  switch (parsed.format) {
    case 'rss':
      return {
        format: 'rss',
        title: capTitle(parsed.feed.title),
        siteUrl: resolve(parsed.feed.link),
        ttlMinutes: ttlMinutes(parsed.feed.ttl),
        ...cappedEntries(parsed.feed.items, (item) => draftFromRssItem(item, resolve, image)),
      };
    case 'rdf':
      return {
        format: 'rdf',
        title: capTitle(parsed.feed.title),
        siteUrl: resolve(parsed.feed.link),
        ttlMinutes: null,
        ...cappedEntries(parsed.feed.items, (item) => draftFromRdfItem(item, resolve, image)),
      };
    case 'atom':
      return {
        format: 'atom',
        title: capTitle(parsed.feed.title?.value),
        siteUrl: resolve(alternateLink(parsed.feed.links)),
        ttlMinutes: null,
        ...cappedEntries(parsed.feed.entries, (entry) => draftFromAtomEntry(entry, resolve, image)),
      };
    case 'json':
      return {
        format: 'json',
        title: capTitle(parsed.feed.title),
        siteUrl: resolve(parsed.feed.home_page_url),
        ttlMinutes: null,
        ...cappedEntries(parsed.feed.items, (item) => draftFromJsonItem(item, resolve, image)),
      };
  }
}

/**
 * Maps at most {@link limits}.entriesPerFeed entries (the first ones: feeds list the newest first) and
 * counts the rest, so a feed of 20,000 items costs what 2,000 do.
 */
export function cappedEntries<T>(
  items: readonly T[] | undefined,
  toDraft: (item: T) => EntryDraft,
): { entries: ParsedFeed['entries']; droppedEntries: number } {
  const all = items ?? [];
  const kept = all.slice(0, limits.entriesPerFeed);
  return { entries: withUniqueKeys(kept.map(toDraft)), droppedEntries: all.length - kept.length };
}

/** The longest `<ttl>` honoured: a publisher asking for a week would miss a day of news. */
const maxTtlMinutes = 24 * 60;

function ttlMinutes(ttl: unknown): number | null {
  const minutes = typeof ttl === 'number' ? ttl : Number(nonEmpty(ttl) ?? Number.NaN);
  if (!Number.isFinite(minutes) || minutes <= 0) return null;
  return Math.min(Math.round(minutes), maxTtlMinutes);
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

function draftFromRssItem(item: RssFeed.Item<string>, resolve: Resolve, image: Image): EntryDraft {
  const guid = nonEmpty(item.guid?.value);
  // isPermaLink defaults to true, but many feeds leave it out on guids like "12345": only an absolute
  // web URL is taken as the article's address (resolving "12345" against the feed URL would invent one).
  const permalinkGuid = guid !== null && item.guid?.isPermaLink !== false && /^https?:\/\//i.test(guid) ? resolve(guid) : null;
  const link = resolve(item.link) ?? permalinkGuid;
  const html = capHtml(item.content?.encoded) ?? capHtml(item.description);
  return {
    id: guid,
    title: capTitle(item.title) ?? capTitle(item.dc?.titles?.[0]),
    link,
    html,
    publishedAt: toIsoDate(item.pubDate) ?? toIsoDate(item.dc?.dates?.[0]),
    imageUrl: image(link, pictures(mediaImages(item.media), imageAttachments(item.enclosures, enclosure), htmlImages(html))),
  };
}

function draftFromRdfItem(item: RdfFeed.Item<string>, resolve: Resolve, image: Image): EntryDraft {
  const link = resolve(item.link) ?? resolve(item.rdf?.about);
  const html = capHtml(item.content?.encoded) ?? capHtml(item.description);
  return {
    id: null,
    title: capTitle(item.title) ?? capTitle(item.dc?.titles?.[0]),
    link,
    html,
    publishedAt: toIsoDate(item.dc?.dates?.[0]),
    imageUrl: image(link, pictures(mediaImages(item.media), htmlImages(html))),
  };
}

function draftFromAtomEntry(
  entry: AtomFeed.Entry<string>,
  resolve: Resolve,
  image: Image,
): EntryDraft {
  const link = resolve(alternateLink(entry.links));
  const html = atomTextAsHtml(entry.content) ?? atomTextAsHtml(entry.summary);
  const enclosures = (entry.links ?? []).filter((candidate) => candidate.rel?.toLowerCase() === 'enclosure');
  return {
    id: nonEmpty(entry.id),
    title: capTitle(entry.title?.value),
    link,
    html,
    publishedAt: toIsoDate(entry.published) ?? toIsoDate(entry.updated) ?? toIsoDate(entry.dc?.dates?.[0]),
    imageUrl: image(
      link,
      pictures(mediaImages(entry.media), imageAttachments(enclosures, (enclosure) => ({ url: enclosure.href, type: enclosure.type })), htmlImages(html)),
    ),
  };
}

function draftFromJsonItem(item: JsonFeed.Item<string>, resolve: Resolve, image: Image): EntryDraft {
  const link = resolve(item.url) ?? resolve(item.external_url);
  const contentHtml = capHtml(item.content_html);
  const html = contentHtml ?? plainTextAsHtml(item.content_text) ?? plainTextAsHtml(item.summary);
  const attachments = imageAttachments(item.attachments, (attachment) => ({ url: attachment.url, type: attachment.mime_type }));
  return {
    id: item.id === undefined || item.id === null ? null : nonEmpty(String(item.id)),
    title: capTitle(item.title),
    link,
    html,
    publishedAt: toIsoDate(item.date_published) ?? toIsoDate(item.date_modified),
    // Only HTML content can hold an <img>; text content escaped as HTML cannot.
    imageUrl: image(link, pictures([item.image, item.banner_image], attachments, htmlImages(contentHtml))),
  };
}

/** An RSS enclosure's URL and declared type. */
function enclosure(value: RssFeed.Enclosure): { url: unknown; type: unknown } {
  return { url: value.url, type: value.type };
}

/** The candidates of each place a format puts pictures, best place first, read lazily. */
function* pictures(...places: Array<Iterable<unknown>>): Generator<unknown> {
  for (const place of places) yield* place;
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
  return type === 'html' || type === 'xhtml' || type.includes('html') ? capHtml(text.value) : plainTextAsHtml(text.value);
}

/** Escaping can make text longer, so the cap applies to the escaped form. */
function plainTextAsHtml(text: string | undefined): string | null {
  const value = nonEmpty(text);
  return value === null ? null : capHtml(escapeHtml(value));
}

