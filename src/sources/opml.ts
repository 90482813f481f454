import { generateOpml, parseOpml, type Opml } from 'feedsmith';
import { limits } from './types.js';

/** Caps on an OPML document: it comes from a Telegram upload, so it is as untrusted as a feed. */
export const opmlLimits = {
  /** Characters read; the download is capped at 1 MB, so this only bites on callers that skip it. */
  documentChars: 1024 * 1024,
  /** Outlines looked at (nested ones included), in document order. */
  outlines: 5_000,
} as const;

/** Why a whole OPML document was refused. */
export type OpmlRefusal =
  /** Its DTD declares entities (billion laughs, XXE): hostile, never parsed. */
  | 'hostile_document'
  /** Not an OPML document at all (or one with no outline). */
  | 'not_opml'
  /** Larger than {@link opmlLimits}.documentChars. */
  | 'too_large';

/** What an OPML document lists. */
export interface OpmlReading {
  /** The http(s) feed URLs of its outlines (`xmlUrl`), nested ones included, each once, in document order. */
  urls: string[];
  /** Set when the document was refused as a whole; `urls` is then empty. */
  refused: OpmlRefusal | null;
  /** Outlines whose `xmlUrl` was not an http(s) URL, or was too long. */
  skipped: number;
  /** The document held more than {@link opmlLimits}.outlines outlines; the rest were not looked at. */
  truncated: boolean;
}

// A single `<!ENTITY` is enough to refuse: an OPML file has no business declaring entities.
const entityDeclaration = /<!ENTITY/i;

/**
 * Reads the feed URLs an OPML document lists (the `xmlUrl` of every outline, however deeply nested).
 * Only http(s) URLs are kept, normalised and de-duplicated; at most {@link opmlLimits}.outlines outlines
 * are looked at. A document declaring entities is refused before it is parsed.
 */
export function readOpmlSources(text: string): OpmlReading {
  const refuse = (refused: OpmlRefusal): OpmlReading => ({ urls: [], refused, skipped: 0, truncated: false });
  if (text.length > opmlLimits.documentChars) return refuse('too_large');
  if (entityDeclaration.test(text)) return refuse('hostile_document');

  let document: Opml.Document<string>;
  try {
    document = parseOpml(text);
  } catch {
    // feedsmith refuses non-OPML roots and empty bodies; very deep nesting fails here too.
    return refuse('not_opml');
  }

  const urls = new Set<string>();
  let skipped = 0;
  let seen = 0;
  let truncated = false;
  // Depth first without recursion, so document order is kept and nesting depth costs no stack.
  const pending: Opml.Outline<string>[] = [...(document.body?.outlines ?? [])].reverse();
  while (pending.length > 0) {
    const outline = pending.pop()!;
    if (seen >= opmlLimits.outlines) {
      truncated = true;
      break;
    }
    seen++;
    if (outline.xmlUrl !== undefined) {
      const url = feedUrlOf(outline.xmlUrl);
      if (url === null) skipped++;
      else urls.add(url);
    }
    const children = outline.outlines ?? [];
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
  return { urls: [...urls], refused: null, skipped, truncated };
}

/** An outline's feed URL, normalised, when it is an http(s) URL of reasonable length. */
function feedUrlOf(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > limits.linkChars) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href;
}

/** One source as written to an OPML export. */
export interface OpmlSource {
  title: string | null;
  feedUrl: string;
  siteUrl?: string | null;
}

/**
 * Writes an OPML 2.0 document listing the sources, one `type="rss"` outline each, as feed readers
 * expect. Titles are the sources' own (the feed URL when there is none).
 */
export function writeOpml(sources: readonly OpmlSource[], options: { title?: string; now?: Date } = {}): string {
  return generateOpml({
    head: { title: options.title ?? 'nashra sources', dateCreated: options.now ?? new Date() },
    body: {
      outlines: sources.map((source) => {
        const title = (source.title ?? '').trim() || source.feedUrl;
        return {
          text: title,
          title,
          type: 'rss',
          xmlUrl: source.feedUrl,
          ...(source.siteUrl ? { htmlUrl: source.siteUrl } : {}),
        };
      }),
    },
  });
}
