/**
 * What a server's answer headers say about when to come back and where else to look. Pure functions
 * over header values, which are untrusted text: every pattern here runs in linear time.
 */

/** The longest wait a server can ask for; a longer one would let a hostile header silence a source. */
export const maxWaitSeconds = 24 * 60 * 60;

/** Headers longer than this are not worth reading (undici already bounds the whole header block). */
const maxHeaderChars = 8 * 1024;

/**
 * Reads `Retry-After` (RFC 9110): delta-seconds (`120`) or an HTTP-date, as seconds from `now`,
 * at most one day; a date in the past means 0. `null` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  const text = value?.trim() ?? '';
  if (text === '' || text.length > 100) return null;
  if (/^\d+$/.test(text)) return Math.min(Number(text), maxWaitSeconds);
  // Every HTTP-date form starts with a day name; Date.parse alone would read "-5" as a year.
  if (!/^[A-Za-z]{3}/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, Math.ceil((at - now) / 1000)), maxWaitSeconds);
}

/**
 * Reads `max-age` from `Cache-Control`, at most one day. `no-cache`/`no-store` say nothing about how
 * often a feed may be read, so they give `null` too.
 */
export function parseMaxAge(cacheControl: string | null): number | null {
  if (cacheControl === null || cacheControl.length > maxHeaderChars) return null;
  for (const directive of cacheControl.split(',')) {
    const [name, rawValue] = directive.split('=', 2);
    if (name?.trim().toLowerCase() !== 'max-age' || rawValue === undefined) continue;
    const value = rawValue.trim().replace(/^"|"$/g, '');
    if (!/^\d{1,10}$/.test(value)) return null;
    return Math.min(Number(value), maxWaitSeconds);
  }
  return null;
}

/** One link of an HTTP `Link` header (RFC 8288). */
export interface HeaderLink {
  href: string;
  /** The relation types, lower case. */
  rels: string[];
}

/**
 * Reads an HTTP `Link` header: `<https://x/wp-json/>; rel="https://api.w.org/", <…>; rel=alternate`.
 * Targets are returned as written (resolve them against the answer's URL).
 */
export function parseLinkHeader(value: string | null): HeaderLink[] {
  if (value === null || value.length > maxHeaderChars) return [];
  const links: HeaderLink[] = [];
  // `<` and `>` delimit each target, so neither part can overlap the next: one pass over the header.
  for (const match of value.matchAll(/<([^<>]*)>([^<>]*)/g)) {
    const href = match[1]?.trim() ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i.exec(match[2] ?? '');
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/).filter((name) => name !== '');
    if (href !== '') links.push({ href, rels });
  }
  return links;
}

/** WordPress announces its REST API on every page with this link relation. */
export const wordPressApiRel = 'https://api.w.org/';
