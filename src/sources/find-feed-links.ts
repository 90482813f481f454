import { decodeHTMLAttribute } from 'entities';
import { resolveWebUrl } from './source-url.js';
import { limits } from './types.js';

const feedTypes = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json']);

/** A real `<link>` tag is a few hundred characters; a longer one is not worth reading. */
const maxTagChars = 8 * 1024;

/** More feeds than anyone announces on one page; a page listing thousands is not worth following. */
const maxFeedLinks = 20;

/** Comment feeds are announced the same way as the main feed; their title or URL gives them away. */
const commentFeed = /comment|تعليق/i;

/**
 * The feeds an HTML page announces with `<link rel="alternate" type="application/rss+xml|atom+xml|feed+json" href>`,
 * in page order, as absolute http(s) URLs resolved against `pageUrl`. Comment feeds are left out; at most
 * the first 20 are listed. Linear in the page's length.
 */
export function findFeedLinks(html: string, pageUrl: string): string[] {
  const found: string[] = [];
  // `[^<>]` rather than `[^>]`: on a run of `<link` without `>`, each try stops at the next `<`
  // instead of scanning to the end of the page (quadratic).
  for (const [tag] of html.matchAll(/<link\b[^<>]*>/gi)) {
    if (tag.length > maxTagChars) continue;
    const attributes = readAttributes(tag);
    const rel = (attributes.get('rel') ?? '').toLowerCase().split(/\s+/);
    const type = (attributes.get('type') ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
    const href = attributes.get('href')?.trim();
    const title = attributes.get('title') ?? '';
    if (!rel.includes('alternate') || !feedTypes.has(type) || !href) continue;
    if (commentFeed.test(title) || commentFeed.test(href)) continue;
    const url = resolveWebUrl(href, pageUrl);
    // Like a feed's links, an over-long one is dropped rather than cut.
    if (url !== null && url.length <= limits.linkChars && !found.includes(url)) found.push(url);
    if (found.length >= maxFeedLinks) break;
  }
  return found;
}

function readAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const attribute = /([^\s"'=<>/]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  // Skip the tag name itself.
  for (const match of tag.slice('<link'.length).matchAll(attribute)) {
    const name = match[1]?.toLowerCase();
    if (name === undefined || attributes.has(name)) continue;
    attributes.set(name, decodeHTMLAttribute(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return attributes;
}
