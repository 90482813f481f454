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
}

/** A parsed feed document. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title: string | null;
  /** The site the feed describes, when it says. */
  siteUrl: string | null;
  entries: FeedEntry[];
}

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
  | 'not_a_feed';

export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly detail: { url?: string; status?: number } = {},
  ) {
    super(message);
  }
}

/** Cache validators a server sent with a feed, kept so the next poll can ask "only if changed". */
export interface CacheValidators {
  etag: string | null;
  lastModified: string | null;
}

/**
 * The outcome of polling a source: either a freshly parsed feed, or the server's word (HTTP 304)
 * that nothing changed since the validators the caller sent.
 */
export type SourceOutcome =
  | ({ notModified: false } & SourceReading & CacheValidators)
  | ({ notModified: true; feedUrl: string } & CacheValidators);
