import { escapeHtml, startsRightToLeft } from '../text/index.js';

/** Shows a link the way a reader would type it: percent-escapes of Arabic slugs decoded. */
function readableUrl(link: string): string {
  try {
    return decodeURI(link);
  } catch {
    return link;
  }
}

/**
 * The post for one item: the headline in bold, then the link. Nothing else from the feed, and every
 * string from the feed escaped for Telegram's HTML parse mode.
 */
export function formatPost(item: { headline: string; link: string | null }): string {
  const headline = `<b>${escapeHtml(startsRightToLeft(item.headline))}</b>`;
  if (!item.link) return headline;
  return `${headline}\n<a href="${escapeHtml(item.link)}">${escapeHtml(readableUrl(item.link))}</a>`;
}
