import { cappedEntries } from './parse-feed.js';
import { firstImageUrl, htmlImages } from './entry-image.js';
import { capHtml, capTitle, resolveLink, toIsoDate, type EntryDraft } from './feed-fields.js';
import type { ParsedFeed } from './types.js';

/** The fields nashra reads from one post of the WordPress REST API (`/wp-json/wp/v2/posts`). */
interface WordPressPost {
  id: number | string;
  link: string;
  title: { rendered: string };
  date_gmt?: unknown;
  content?: { rendered?: unknown };
  excerpt?: { rendered?: unknown };
  /** Jetpack's copy of the featured image's URL. */
  jetpack_featured_media_url?: unknown;
  /** Present when the list was asked for with `?_embed`: the featured image's record among them. */
  _embedded?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWordPressPost(value: unknown): value is WordPressPost {
  if (!isRecord(value)) return false;
  const { id, link, title } = value;
  return (
    (typeof id === 'number' || (typeof id === 'string' && id !== '')) &&
    typeof link === 'string' &&
    isRecord(title) &&
    typeof title.rendered === 'string'
  );
}

/**
 * The post's featured image: Jetpack's `jetpack_featured_media_url`, else the first embedded
 * `wp:featuredmedia` record's `source_url` (only there when the list was fetched with `?_embed`).
 */
function* featuredImages(post: WordPressPost): Generator<unknown> {
  yield post.jetpack_featured_media_url;
  const embedded = isRecord(post._embedded) ? post._embedded['wp:featuredmedia'] : undefined;
  const media: unknown = Array.isArray(embedded) ? embedded[0] : undefined;
  if (isRecord(media)) yield media.source_url;
}

/**
 * Reads a WordPress REST API posts list as a feed (format `wordpress`), or returns `null` when the
 * text is not one: a JSON array of at least one object, each with `id`, `link` and `title.rendered`.
 *
 * An entry's key is the post `id` (WordPress never reuses one); its title is `title.rendered`, which
 * is HTML, like an RSS title; its body `content.rendered`, else `excerpt.rendered`; its date `date_gmt`,
 * which is UTC without a zone; its picture the featured image, else the first `<img>` of its body.
 * The list does not carry the site's name, so the title is `null`.
 */
export function parseWordPressPosts(text: string, url: string): ParsedFeed | null {
  if (!text.trimStart().startsWith('[')) return null;
  let posts: unknown;
  try {
    posts = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(posts) || posts.length === 0 || !posts.every(isWordPressPost)) return null;
  return {
    format: 'wordpress',
    title: null,
    siteUrl: resolveLink('/', url),
    ttlMinutes: null,
    ...cappedEntries(posts, (post): EntryDraft => {
      const link = resolveLink(post.link, url);
      const html = capHtml(post.content?.rendered) ?? capHtml(post.excerpt?.rendered);
      return {
        id: String(post.id),
        title: capTitle(post.title.rendered),
        link,
        html,
        publishedAt: toIsoDate(post.date_gmt),
        imageUrl: firstImageUrl(featuredImages(post), link ?? url) ?? firstImageUrl(htmlImages(html), link ?? url),
      };
    }),
  };
}
