import { decodeHTMLAttribute } from 'entities';
import type { MediaNs } from 'feedsmith';
import { resolveLink } from './feed-fields.js';

/**
 * The picture of a feed entry, for posts sent as a photo: where each feed format puts it, and the
 * rule every candidate passes. The URL is only ever handed to Telegram, never fetched by nashra.
 */

/** Characters of an entry's HTML searched for its first `<img>`: the lead picture sits near the top. */
export const imageScanChars = 64 * 1024;

const imageType = /^\s*image\//i;
// A file name ending as a picture does, before any query or fragment (tested on at most 2,048 characters).
const imagePath = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

/**
 * The first candidate that is, once resolved against `base` (the entry's link, else the feed's URL),
 * an absolute http(s) URL of at most {@link limits}.linkChars characters; `null` when none is. A
 * candidate that is not a string, is too long, or is a `data:` or `javascript:` URL is passed over,
 * never cut or repaired. Candidates are read lazily, so a long list costs only what is read.
 */
export function firstImageUrl(candidates: Iterable<unknown>, base: string): string | null {
  for (const candidate of candidates) {
    const url = resolveLink(candidate, base);
    if (url !== null) return url;
  }
  return null;
}

/** Whether a media:content is a picture: `medium="image"`, an image type, or, saying neither, a picture's file name. */
function isImageContent(content: MediaNs.Content): boolean {
  if (content.medium !== undefined) return content.medium.toLowerCase() === 'image';
  if (content.type !== undefined) return imageType.test(content.type);
  return typeof content.url === 'string' && content.url.length <= 2_048 && imagePath.test(content.url);
}

/**
 * Media RSS pictures, best first: a media:content that is a picture (at the item's level, then in
 * its media:groups), then a media:thumbnail (of a content such as a video, of the item, of a group).
 */
export function* mediaImages(media: MediaNs.ItemOrFeed | undefined): Generator<unknown> {
  if (media === undefined) return;
  const groups = media.groups ?? [];
  const contents = [media.contents ?? [], ...groups.map((group) => group.contents ?? [])];
  for (const list of contents) {
    for (const content of list) if (isImageContent(content)) yield content.url;
  }
  for (const list of contents) {
    for (const content of list) for (const thumbnail of content.thumbnails ?? []) yield thumbnail.url;
  }
  for (const thumbnail of media.thumbnails ?? []) yield thumbnail.url;
  for (const group of groups) for (const thumbnail of group.thumbnails ?? []) yield thumbnail.url;
}

/** The URLs of attachments (RSS enclosures, Atom `rel="enclosure"` links, JSON Feed attachments) whose type is an image. */
export function* imageAttachments<T>(
  attachments: readonly T[] | undefined,
  read: (attachment: T) => { url: unknown; type: unknown },
): Generator<unknown> {
  for (const attachment of attachments ?? []) {
    const { url, type } = read(attachment);
    if (typeof type === 'string' && imageType.test(type)) yield url;
  }
}

/** A real `<img>` tag is a few hundred characters; a longer one is not read. */
const maxTagChars = 8 * 1024;

/**
 * The attributes of one tag (names lower-cased, first one wins, values entity-decoded). The global
 * regex reads the tag once from left to right; a quote left open runs to the end of the tag, as in
 * a browser, rather than failing and being tried again from each later quote (quadratic).
 */
function readAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const attribute = /([^\s"'=<>/]+)\s*(?:=\s*(?:"([^"]*)"?|'([^']*)'?|([^\s"'>]+)))?/g;
  for (const match of tag.matchAll(attribute)) {
    const name = match[1]!.toLowerCase();
    if (!attributes.has(name)) attributes.set(name, decodeHTMLAttribute(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return attributes;
}

/** Feed counters and trackers are pictures one pixel wide or high. */
function isPixel(attributes: Map<string, string>): boolean {
  return ['width', 'height'].some((name) => /^\s*[01](?:px)?\s*$/i.test(attributes.get(name) ?? ''));
}

/**
 * The `src` of each `<img>` in the first {@link imageScanChars} characters of `html`, entities
 * decoded, in document order; one-pixel trackers are passed over. Each tag is read once, up to its
 * `>`, and the search goes on after it, so the scan is linear in the window however broken the markup.
 */
export function* htmlImages(html: string | null): Generator<string> {
  if (html === null) return;
  const window = html.length > imageScanChars ? html.slice(0, imageScanChars) : html;
  const opener = /<img(?=[\s/>])/gi;
  for (let match = opener.exec(window); match !== null; match = opener.exec(window)) {
    const end = window.indexOf('>', match.index);
    // No tag closes after this one, so none of the later ones does either.
    if (end === -1) return;
    if (end - match.index <= maxTagChars) {
      const attributes = readAttributes(window.slice(match.index + 4, end));
      const src = attributes.get('src')?.trim();
      if (src && !isPixel(attributes)) yield src;
    }
    opener.lastIndex = end + 1;
  }
}
