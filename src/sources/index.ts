/**
 * sources/: fetch a URL politely and safely, decode it, parse any feed (or the feed a page announces)
 * into entries. The only code in nashra that makes outgoing HTTP requests.
 */
export { createGuardedLookup, isPublicAddress } from './address-guard.js';
export type { GuardedLookupOptions, ResolveHostname, ResolvedAddress } from './address-guard.js';
export { decodeBody } from './decode-body.js';
export { createFetcher } from './fetch-url.js';
export type { ConditionalRequest, FetchedDocument, Fetcher, FetcherOptions } from './fetch-url.js';
export { findFeedLinks } from './find-feed-links.js';
export { parseFeedDocument } from './parse-feed.js';
export { readSource } from './read-source.js';
export { parseSourceUrl } from './source-url.js';
export { SourceError } from './types.js';
export type {
  CacheValidators,
  FeedEntry,
  ParsedFeed,
  SourceErrorCode,
  SourceOutcome,
  SourceReading,
} from './types.js';
