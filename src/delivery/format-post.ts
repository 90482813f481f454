import { cleanDisplayText, displayUrl, escapeHtml, startsRightToLeft } from '../text/index.js';

/**
 * The post for one item: the headline in bold, then the link. Nothing else from the feed, and every
 * string from the feed escaped for Telegram's HTML parse mode. The link's visible text is the real
 * URL as a reader would type it (an Arabic slug decoded), with every bidi or control character
 * percent-encoded, so a U+202E in a link can never reorder what the reader sees.
 */
export function formatPost(item: { headline: string; link: string | null }): string {
  const headline = `<b>${escapeHtml(startsRightToLeft(cleanDisplayText(item.headline)))}</b>`;
  if (!item.link) return headline;
  return `${headline}\n<a href="${escapeHtml(item.link)}">${escapeHtml(displayUrl(item.link))}</a>`;
}
