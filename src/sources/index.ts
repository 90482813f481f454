/**
 * sources/: fetch a URL politely and safely, decode it, parse any feed (or find the feed of a page)
 * into entries, with every untrusted field capped. The only code in nashra that makes outgoing HTTP
 * requests. `parseDocument` is pure (bytes in, plain data out), so it can run on a worker thread.
 */
export { createGuardedLookup, isPublicAddress } from './address-guard.js';
export type { GuardedLookupOptions, ResolveHostname, ResolvedAddress } from './address-guard.js';
export { decodeBody } from './decode-body.js';
export { createFetcher } from './fetch-url.js';
export type { ConditionalRequest, FetchedDocument, Fetcher, FetcherOptions } from './fetch-url.js';
export { findFeedLinks } from './find-feed-links.js';
export { declaresEntities } from './document-prolog.js';
export { linkIdentity } from './feed-fields.js';
export { parseLinkHeader, parseMaxAge, parseRetryAfter } from './http-hints.js';
export type { HeaderLink } from './http-hints.js';
export { parseDocument } from './parse-document.js';
export { parseFeedDocument } from './parse-feed.js';
export { parseWordPressPosts } from './parse-wordpress.js';
export { maxDiscoveryRequests, readSource, wellKnownFeedPaths } from './read-source.js';
export type { ReadSourceOptions } from './read-source.js';
export { parseSourceUrl, resolveWebUrl } from './source-url.js';
export { limits, SourceError } from './types.js';
export type {
  CacheValidators,
  DocumentInput,
  DocumentMemory,
  DocumentParser,
  FeedEntry,
  ParsedDocument,
  ParsedFeed,
  PollHints,
  SourceErrorCode,
  SourceOutcome,
  SourceReading,
} from './types.js';
export { readArticlePage } from './read-article-page.js';
