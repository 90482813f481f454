import { cleanDisplayText, cutText, displayUrl, escapeHtml, startsRightToLeft } from '../text/index.js';

/** Telegram refuses a message whose text, once its HTML is read, is longer than this (UTF-16 units). */
export const telegramTextLimit = 4096;

/** How much of a post's headline and of its link's visible text is shown (UTF-16 units). */
export interface PostLimits {
  headline: number;
  linkText: number;
}

/**
 * The usual caps: a post's visible text stays under about 1,300 units whatever the feed holds, far
 * below Telegram's limit (the link's address itself is not counted by Telegram and is never cut).
 */
export const postLimits: PostLimits = { headline: 1000, linkText: 256 };

/** The caps of the one shortened resend after Telegram answered "message is too long". */
export const shortPostLimits: PostLimits = { headline: 200, linkText: 64 };

/**
 * The post for one item: the headline in bold, then the link. Nothing else from the feed, and every
 * string from the feed escaped for Telegram's HTML parse mode. The link's visible text is the real
 * URL as a reader would type it (an Arabic slug decoded), with every bidi or control character
 * percent-encoded, so a U+202E in a link can never reorder what the reader sees. The headline and
 * the link's text are cut (between whole characters, before escaping, so never inside an `&…;`)
 * to `limits`.
 */
export function formatPost(item: { headline: string; link: string | null }, limits: PostLimits = postLimits): string {
  const headline = `<b>${escapeHtml(startsRightToLeft(cutText(cleanDisplayText(item.headline), limits.headline)))}</b>`;
  if (!item.link) return headline;
  return `${headline}\n<a href="${escapeHtml(item.link)}">${escapeHtml(displayUrl(item.link, limits.linkText))}</a>`;
}

// Only what escapeHtml and formatPost write: tags without `<` or `>` inside, and five entities.
const TAG = /<[^<>]*>/g;
const ENTITY = /&(?:amp|lt|gt|quot|#39|#x27|apos);/g;
const DECODED: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
  '&apos;': "'",
};

/**
 * A post made by formatPost as plain text (tags dropped, entities decoded), for the one resend
 * without parse_mode after Telegram could not read the HTML. Linear time.
 */
export function plainTextOf(html: string): string {
  return html.replace(TAG, '').replace(ENTITY, (entity) => DECODED[entity] ?? entity);
}
