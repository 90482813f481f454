/** One entry of a feed, as the source published it, before any text rule has been applied. */
export interface FeedEntry {
  /** Stable identity inside the source: guid; else link; else a hash of title and text. */
  key: string;
  /** Title as published, HTML entities decoded once, may still contain markup or broken words. */
  title: string | null;
  /** Absolute link to the article, resolved against the feed URL. */
  link: string | null;
  /** Body or summary as published (HTML allowed). */
  html: string | null;
  /** Publication date as ISO 8601 in UTC, when the feed gave a parseable one. */
  publishedAt: string | null;
  /**
   * The entry's picture: a Media RSS image or thumbnail, an image enclosure or attachment, JSON Feed's
   * `image`/`banner_image`, WordPress's featured image, else the first `<img>` of its HTML. An absolute
   * http(s) URL of at most {@link limits}.linkChars characters, resolved against the entry's link.
   * The parsers always set it (their drafts require it); an entry built by hand may leave it out,
   * which means none.
   */
  imageUrl?: string | null;
}

/** A parsed feed document. */
export interface ParsedFeed {
  /** `wordpress`: a WordPress REST API posts list (`/wp-json/wp/v2/posts`), read as a feed. */
  format: 'rss' | 'atom' | 'rdf' | 'json' | 'wordpress';
  /** At most {@link limits}.titleChars characters. */
  title: string | null;
  /** The site the feed describes, when it says. */
  siteUrl: string | null;
  /** RSS `<ttl>` (minutes): the publisher asks not to be polled more often. */
  ttlMinutes: number | null;
  /** At most {@link limits}.entriesPerFeed entries, in document order. */
  entries: FeedEntry[];
  /** Entries dropped because the feed held more than the cap. */
  droppedEntries: number;
}

/** Caps on untrusted fields: every field from a feed or page is bounded when parsed. */
export const limits = {
  titleChars: 1_000,
  entryHtmlChars: 512 * 1024,
  entriesPerFeed: 2_000,
  linkChars: 2_048,
  keyChars: 1_024,
} as const;

/** The result of fetching and reading one source URL. */
export interface SourceReading {
  /** The URL the feed was finally read from (after redirects, or after discovery from a page). */
  feedUrl: string;
  feed: ParsedFeed;
}

/** Why a source could not be read; `code` picks the message shown to the admin. */
export type SourceErrorCode =
  | 'invalid_url'
  | 'blocked_address'
  | 'dns_failed'
  | 'timeout'
  | 'network'
  | 'http_status'
  | 'too_large'
  | 'too_many_redirects'
  | 'not_a_feed'
  /** HTTP 410: the publisher retired the feed; the source is retired too. */
  | 'gone'
  /** A document whose DTD declares entities (billion laughs, XXE): refused, never parsed. */
  | 'hostile_document'
  /** A URL carrying `user:pass@`: refused, credentials must not be stored or sent around. */
  | 'credentials_in_url';

export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly detail: { url?: string; status?: number; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

/** Cache validators a server sent with a feed, kept so the next poll can ask "only if changed". */
export interface CacheValidators {
  etag: string | null;
  lastModified: string | null;
}

/** What a poll remembers of the last document read, to ask "only if changed" and to skip a re-parse. */
export interface DocumentMemory extends CacheValidators {
  /** sha256 (hex) of the last body read; a byte-identical body is not parsed again. */
  bodyHash: string | null;
}

/** What the server said about when to come back, and where the feed now lives. */
export interface PollHints {
  /** Cache-Control max-age (seconds) of the answer, when given: not polled again sooner. */
  maxAgeSeconds: number | null;
  /** Every redirect hop was permanent (301/308): the feed has moved to this URL for good. */
  movedTo: string | null;
}

/**
 * The outcome of polling a source: either a freshly parsed feed, or "unchanged": the server's
 * word (HTTP 304), or a body byte-identical to the last one read (same `bodyHash`).
 */
export type SourceOutcome =
  | ({ notModified: false; bodyHash: string } & SourceReading & CacheValidators & PollHints)
  | ({ notModified: true; feedUrl: string; bodyHash: string | null } & CacheValidators & PollHints);

/** A fetched body handed to the (worker-side) document parser. */
export interface DocumentInput {
  body: Uint8Array;
  contentType: string | null;
  /** The URL the body was read from (after redirects), to resolve relative links. */
  url: string;
}

/**
 * What a body turned out to be: a feed; a web page with the feeds it announces
 * (`<link rel="alternate">`, in page order); or a document refused with a reason.
 * Plain data, so it crosses a worker boundary unchanged (errors would lose their class).
 */
export type ParsedDocument =
  | { kind: 'feed'; feed: ParsedFeed }
  | { kind: 'page'; feedLinks: string[] }
  | { kind: 'refused'; code: SourceErrorCode; message: string };

/** Parses a body; the pipeline passes one that runs on a worker thread. */
export type DocumentParser = (input: DocumentInput) => Promise<ParsedDocument>;
