import { decodeBody } from './decode-body.js';
import { declaresEntities, looksLikeHtmlPage } from './document-prolog.js';
import { findFeedLinks } from './find-feed-links.js';
import { parseFeedDocument } from './parse-feed.js';
import { parseWordPressPosts } from './parse-wordpress.js';
import { SourceError, type DocumentInput, type ParsedDocument } from './types.js';

/**
 * Says what a fetched body is, in one pure step (bytes in, plain data out, no I/O), so it can run on
 * a worker thread: a feed (RSS, RDF, Atom, JSON Feed, or a WordPress REST posts list); a web page, with
 * the feeds it announces; or refused with the reason.
 *
 * A document whose DTD declares entities (billion laughs, XXE) is refused as `hostile_document`
 * before any parser sees it. Never throws for bad input.
 */
export function parseDocument(input: DocumentInput): ParsedDocument {
  try {
    const text = decodeBody(Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength), input.contentType);
    if (declaresEntities(text)) {
      return { kind: 'refused', code: 'hostile_document', message: 'the document declares XML entities' };
    }
    const wordPress = parseWordPressPosts(text, input.url);
    if (wordPress !== null) return { kind: 'feed', feed: wordPress };
    if (looksLikeHtmlPage(text)) return { kind: 'page', feedLinks: findFeedLinks(text, input.url) };
    try {
      return { kind: 'feed', feed: parseFeedDocument(text, input.url) };
    } catch (err) {
      if (!(err instanceof SourceError && err.code === 'not_a_feed')) throw err;
    }
    // A page that skips `<html>` and the doctype is still a page when the server says it is one.
    if (isHtmlContentType(input.contentType)) return { kind: 'page', feedLinks: findFeedLinks(text, input.url) };
    return { kind: 'refused', code: 'not_a_feed', message: 'the document is not a feed' };
  } catch (err) {
    if (err instanceof SourceError) return { kind: 'refused', code: err.code, message: err.message };
    return { kind: 'refused', code: 'not_a_feed', message: `unreadable document: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function isHtmlContentType(contentType: string | null): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'text/html' || type === 'application/xhtml+xml';
}
