import type { ChatSettings, DigestEntry } from '../store/store.js';
import { cleanDisplayText, cutText, displayUrl, escapeHtml, startsRightToLeft } from '../text/index.js';

/** Telegram refuses a message whose text, once its HTML is read, is longer than this (UTF-16 units). */
export const telegramTextLimit = 4096;

/** Telegram refuses a photo whose caption, once its HTML is read, is longer than this. */
export const telegramCaptionLimit = 1024;

/** How much of a post's headline, summary and link's visible text is shown (UTF-16 units). */
export interface PostLimits {
  headline: number;
  linkText: number;
  /** The summary style's summary (text/'s makeSummary makes at most 280). */
  summary?: number;
}

/**
 * The usual caps: a post's visible text stays under about 1,600 units whatever the feed holds, far
 * below Telegram's limit (the link's address itself is not counted by Telegram and is never cut).
 */
export const postLimits: PostLimits = { headline: 1000, linkText: 256, summary: 280 };

/** The caps of the one shortened resend after Telegram answered "message is too long". */
export const shortPostLimits: PostLimits = { headline: 200, linkText: 64, summary: 140 };

/** A photo's caption: headline and link stay within Telegram's 1,024 (700 + newline + 256 at most). */
export const captionLimits: PostLimits = { headline: 700, linkText: 256 };

/**
 * The post for one item: the headline in bold, then the link. Nothing else from the feed, and every
 * string from the feed escaped for Telegram's HTML parse mode. The link's visible text is the real
 * URL as a reader would type it (an Arabic slug decoded), with every bidi or control character
 * percent-encoded, so a U+202E in a link can never reorder what the reader sees. The headline and
 * the link's text are cut (between whole characters, before escaping, so never inside an `&…;`)
 * to `limits`.
 */
export function formatPost(item: { headline: string; link: string | null; summary?: string | null }, limits: PostLimits = postLimits): string {
  const lines = [`<b>${escapeHtml(startsRightToLeft(cutText(cleanDisplayText(item.headline), limits.headline)))}</b>`];
  // The summary style: the lead sentences between the headline and the link.
  const summary = item.summary ? cleanDisplayText(item.summary).trim() : '';
  if (summary !== '' && (limits.summary ?? 0) > 0) lines.push(escapeHtml(startsRightToLeft(cutText(summary, limits.summary!))));
  if (item.link) lines.push(`<a href="${escapeHtml(item.link)}">${escapeHtml(displayUrl(item.link, limits.linkText))}</a>`);
  return lines.join('\n');
}

/** What the sender does for one post: a text message, or a photo with a caption. */
export type PostMessage = { kind: 'text'; html: string } | { kind: 'photo'; photo: string; caption: string };

/**
 * A post in the chat's style (issue 13 §2): `headline` (headline and link), `summary` (headline, the
 * item's summary, link; as `headline` when it has none), `photo` (the item's picture with the
 * headline and link as caption; the text post when it has none, or when `textOnly`, after Telegram
 * refused the picture).
 */
export function composePost(
  post: { headline: string; link: string | null; summary: string | null; imageUrl: string | null; settings: Pick<ChatSettings, 'style'> },
  options: { limits?: PostLimits; textOnly?: boolean } = {},
): PostMessage {
  const limits = options.limits ?? postLimits;
  const { style } = post.settings;
  if (style === 'photo' && post.imageUrl && !options.textOnly) {
    return { kind: 'photo', photo: post.imageUrl, caption: formatPost({ headline: post.headline, link: post.link }, captionLimits) };
  }
  const summary = style === 'summary' ? post.summary : null;
  return { kind: 'text', html: formatPost({ headline: post.headline, link: post.link, summary }, limits) };
}

/** How much of each digest line is shown: a long headline would leave room for few others. */
export interface DigestLimits {
  headline: number;
  sourceTitle: number;
  /** Visible length of one message (below Telegram's 4,096, for safety). */
  message: number;
}

export const digestLimits: DigestLimits = { headline: 300, sourceTitle: 60, message: 4000 };

/** One message of a digest: its HTML, and how many of the digest's entries it lists (in order). */
export interface DigestPart {
  html: string;
  entries: number;
}

/**
 * A digest (issue 13 §2): `heading` in bold (already in the chat's language), then one line per
 * headline, linked, with its source. Split into several messages when longer than Telegram allows,
 * only between lines; the heading opens the first. Every string from a feed is escaped.
 */
export function formatDigest(entries: readonly DigestEntry[], heading: string | null, limits: DigestLimits = digestLimits): DigestPart[] {
  const parts: DigestPart[] = [];
  let lines: string[] = heading ? [`<b>${escapeHtml(cleanDisplayText(heading))}</b>`, ''] : [];
  let visible = lines.reduce((sum, line) => sum + plainTextOf(line).length + 1, 0);
  let count = 0;
  for (const entry of entries) {
    const line = digestLine(entry, limits);
    const length = plainTextOf(line).length + 1;
    if (count > 0 && visible + length > limits.message) {
      parts.push({ html: lines.join('\n'), entries: count });
      lines = [];
      visible = 0;
      count = 0;
    }
    lines.push(line);
    visible += length;
    count += 1;
  }
  if (count > 0) parts.push({ html: lines.join('\n'), entries: count });
  return parts;
}

function digestLine(entry: DigestEntry, limits: DigestLimits): string {
  const headline = escapeHtml(startsRightToLeft(cutText(cleanDisplayText(entry.headline), limits.headline)));
  const linked = entry.link ? `<a href="${escapeHtml(entry.link)}">${headline}</a>` : headline;
  const source = entry.sourceTitle ? cleanDisplayText(entry.sourceTitle).trim() : '';
  return source === '' ? `• ${linked}` : `• ${linked} — ${escapeHtml(cutText(source, limits.sourceTitle))}`;
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
