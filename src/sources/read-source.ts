import { createHash } from 'node:crypto';
import type { ConditionalRequest, FetchedDocument, Fetcher } from './fetch-url.js';
import { wordPressApiRel } from './http-hints.js';
import { parseDocument } from './parse-document.js';
import { parseSourceUrl, resolveWebUrl } from './source-url.js';
import {
  SourceError,
  type DocumentMemory,
  type DocumentParser,
  type ParsedDocument,
  type ParsedFeed,
  type SourceOutcome,
} from './types.js';

/** Options of {@link readSource}. */
export interface ReadSourceOptions {
  /** What the last poll read: its validators make the GET conditional, its body hash skips a re-parse. */
  memory?: DocumentMemory;
  /** Parses a fetched body; the pipeline passes one running on a worker thread. Default: in-process. */
  parse?: DocumentParser;
  /**
   * When the URL is a web page, look for its feed (announced links, well-known paths, the WordPress
   * REST API). For `/addsource`; polls read the feed URL found then. Default: on when no `memory` is
   * given (a first read of a URL), off otherwise.
   */
  discover?: boolean;
}

/** Paths where sites commonly serve their feed, tried in this order on a page that announces none. */
export const wellKnownFeedPaths = ['/feed/', '/rss.xml', '/atom.xml', '/index.xml', '/feed.json'] as const;

/** Feeds a page announces that are tried, so the well-known paths and WordPress still get their turn. */
const announcedFeedsTried = 2;

/** Requests discovery may make beyond the page itself: /addsource must answer in seconds, not minutes. */
export const maxDiscoveryRequests = 8;

const parseInProcess: DocumentParser = async (input) => parseDocument(input);

/**
 * Reads one source: validates the URL, fetches it (conditionally when `memory` carries validators),
 * and parses it. A body byte-identical to the one `memory` remembers (same sha256) is reported as
 * unchanged without being parsed, for servers that send no validators.
 *
 * With `discover`, a web page leads to its feed: the feeds it announces with `<link rel="alternate">`;
 * the well-known paths on its origin (`/feed/`, `/rss.xml`, `/atom.xml`, `/index.xml`, `/feed.json`);
 * then the WordPress REST API (from the page's `Link: <…/wp-json/>; rel="https://api.w.org/"` header,
 * else `/?rest_route=/wp/v2/posts`). The first that parses as a feed wins, and the returned `feedUrl`
 * names it: poll that from then on. At most {@link maxDiscoveryRequests} extra requests.
 *
 * Also returns the server's hints: Cache-Control `maxAgeSeconds`, and `movedTo` when every redirect
 * was permanent (301/308) so the source can move for good.
 *
 * Throws `SourceError`: `invalid_url`, `credentials_in_url`, `not_a_feed`, `hostile_document`, `gone`
 * (HTTP 410), `http_status` (with `retryAfterSeconds` on 429/503), or whatever the fetch failed with.
 *
 * The third argument may still be bare validators (`{ etag, lastModified }`), as before `memory`.
 */
export async function readSource(
  fetcher: Fetcher,
  url: string,
  options: ReadSourceOptions | ConditionalRequest = {},
): Promise<SourceOutcome> {
  const { memory, parse = parseInProcess, discover = memory === undefined } = normaliseOptions(options);
  const sourceUrl = parseSourceUrl(url).href;
  const fetched = await fetcher.fetchUrl(sourceUrl, { etag: memory?.etag, lastModified: memory?.lastModified });
  const hints = {
    maxAgeSeconds: fetched.maxAgeSeconds,
    movedTo: fetched.movedPermanently && fetched.url !== sourceUrl ? fetched.url : null,
  };
  if (fetched.notModified) return { ...unchanged(fetched, memory), ...hints };

  const bodyHash = sha256(fetched.body);
  if (memory?.bodyHash === bodyHash) return { ...unchanged(fetched, memory), ...hints, bodyHash };

  const document = await parse(inputOf(fetched));
  switch (document.kind) {
    case 'feed':
      return { ...fresh(fetched, document.feed, bodyHash), ...hints };
    case 'refused':
      throw new SourceError(document.code, document.message, { url: fetched.url });
    case 'page': {
      if (!discover) throw new SourceError('not_a_feed', 'the page is not a feed', { url: fetched.url });
      const found = await discoverFeed(fetcher, parse, fetched, document.feedLinks);
      if (found === null) throw new SourceError('not_a_feed', 'no feed found for the page', { url: fetched.url });
      return found;
    }
  }
}

function normaliseOptions(options: ReadSourceOptions | ConditionalRequest): ReadSourceOptions {
  if ('etag' in options || 'lastModified' in options) {
    const legacy = options as ConditionalRequest;
    return { memory: { etag: legacy.etag ?? null, lastModified: legacy.lastModified ?? null, bodyHash: null } };
  }
  return options as ReadSourceOptions;
}

/** The candidates for a page's feed, in the order they are tried, without repeats or the page itself. */
export function feedCandidates(page: FetchedDocument, announced: readonly string[]): string[] {
  const origin = new URL(page.url).origin;
  const apiRoot = page.links.find((link) => link.rels.includes(wordPressApiRel))?.href;
  const apiRootUrl = apiRoot === undefined ? null : resolveWebUrl(apiRoot, page.url);
  const wordPress = apiRootUrl !== null ? postsUnder(apiRootUrl) : `${origin}/?rest_route=/wp/v2/posts`;
  const candidates = [
    ...announced.slice(0, announcedFeedsTried),
    ...wellKnownFeedPaths.map((path) => `${origin}${path}`),
    wordPress,
  ];
  return [...new Set(candidates)].filter((candidate) => candidate !== page.url).slice(0, maxDiscoveryRequests);
}

/**
 * The posts list of a WordPress REST API root. A site without pretty permalinks announces
 * `/?rest_route=/`, where the route goes in the query rather than the path.
 */
function postsUnder(apiRoot: string): string {
  const url = new URL(apiRoot);
  const route = url.searchParams.get('rest_route');
  if (route !== null) {
    url.searchParams.set('rest_route', `${withoutTrailingSlashes(route)}/wp/v2/posts`);
    return url.href;
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return new URL('wp/v2/posts', url).href;
}

function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}

type FreshOutcome = Extract<SourceOutcome, { notModified: false }>;

async function discoverFeed(
  fetcher: Fetcher,
  parse: DocumentParser,
  page: FetchedDocument,
  announced: readonly string[],
): Promise<FreshOutcome | null> {
  for (const candidate of feedCandidates(page, announced)) {
    let fetched: FetchedDocument;
    try {
      fetched = await fetcher.fetchUrl(candidate);
    } catch (err) {
      // A site that does not answer in time will not answer the next path either.
      if (err instanceof SourceError && err.code === 'timeout') throw err;
      continue;
    }
    // Not conditional, so a 304 here would be a confused server rather than "nothing changed".
    if (fetched.notModified) continue;
    const document: ParsedDocument = await parse(inputOf(fetched));
    if (document.kind === 'feed') {
      // The feed's own URL is what the caller keeps; the page's redirects say nothing about it.
      return { ...fresh(fetched, document.feed, sha256(fetched.body)), maxAgeSeconds: fetched.maxAgeSeconds, movedTo: null };
    }
  }
  return null;
}

function inputOf(fetched: FetchedDocument) {
  return { body: fetched.body, contentType: fetched.contentType, url: fetched.url };
}

function sha256(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

function fresh(fetched: FetchedDocument, feed: ParsedFeed, bodyHash: string) {
  return {
    notModified: false as const,
    feedUrl: fetched.url,
    feed,
    bodyHash,
    etag: fetched.etag,
    lastModified: fetched.lastModified,
  };
}

/** A 304 may omit the validators; the ones the caller sent then still hold. */
function unchanged(fetched: FetchedDocument, memory: DocumentMemory | undefined) {
  return {
    notModified: true as const,
    feedUrl: fetched.url,
    bodyHash: memory?.bodyHash ?? null,
    etag: fetched.etag ?? memory?.etag ?? null,
    lastModified: fetched.lastModified ?? memory?.lastModified ?? null,
  };
}
