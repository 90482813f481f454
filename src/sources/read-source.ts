import { decodeBody } from './decode-body.js';
import type { ConditionalRequest, FetchedDocument, Fetcher } from './fetch-url.js';
import { findFeedLinks } from './find-feed-links.js';
import { parseFeedDocument } from './parse-feed.js';
import { parseSourceUrl } from './source-url.js';
import { SourceError, type ParsedFeed, type SourceOutcome } from './types.js';

/**
 * Reads one source: validates the URL, fetches it (conditionally when `init` carries validators),
 * decodes and parses the feed. When the URL is a web page rather than a feed, the first feed the page
 * announces with `<link rel="alternate">` (comment feeds excepted) is fetched once and read instead;
 * the returned `feedUrl` then names that feed, and the caller should poll it from then on.
 *
 * Throws `SourceError`: `invalid_url`, `not_a_feed`, or whatever the fetch failed with.
 */
export async function readSource(fetcher: Fetcher, url: string, init?: ConditionalRequest): Promise<SourceOutcome> {
  const sourceUrl = parseSourceUrl(url).href;
  const fetched = await fetcher.fetchUrl(sourceUrl, init);
  if (fetched.notModified) return unchanged(fetched, init);

  const text = decodeBody(fetched.body, fetched.contentType);
  try {
    return fresh(fetched, parseFeedDocument(text, fetched.url));
  } catch (err) {
    if (!(err instanceof SourceError && err.code === 'not_a_feed')) throw err;
    const [announcedFeed] = findFeedLinks(text, fetched.url);
    if (announcedFeed === undefined) throw err;
    const feedDocument = await fetcher.fetchUrl(announcedFeed);
    // Not conditional, so a 304 here would be a confused server rather than "nothing changed".
    if (feedDocument.notModified) throw err;
    const feedText = decodeBody(feedDocument.body, feedDocument.contentType);
    return fresh(feedDocument, parseFeedDocument(feedText, feedDocument.url));
  }
}

function fresh(fetched: FetchedDocument, feed: ParsedFeed): SourceOutcome {
  return { notModified: false, feedUrl: fetched.url, feed, etag: fetched.etag, lastModified: fetched.lastModified };
}

/** A 304 may omit the validators; the ones the caller sent then still hold. */
function unchanged(fetched: FetchedDocument, init: ConditionalRequest | undefined): SourceOutcome {
  return {
    notModified: true,
    feedUrl: fetched.url,
    etag: fetched.etag ?? init?.etag ?? null,
    lastModified: fetched.lastModified ?? init?.lastModified ?? null,
  };
}
