import { SourceError } from './types.js';

/**
 * Parses a source URL, accepting only absolute http(s) URLs with a host.
 * Throws `SourceError('invalid_url')` for anything else (`file:`, `ftp:`, `javascript:`, garbage), and
 * `SourceError('credentials_in_url')` for a URL carrying `user:pass@` or `user@`: credentials would be
 * stored, logged and shown in `/sources`, and sent to every host a redirect leads to.
 */
export function parseSourceUrl(raw: string, base?: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    throw new SourceError('invalid_url', 'unparseable URL', { url: raw });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new SourceError('invalid_url', `unsupported URL scheme ${url.protocol}`, { url: raw });
  }
  if (url.username !== '' || url.password !== '') {
    // The detail URL leaves the credentials out: it ends up in logs.
    url.username = '';
    url.password = '';
    throw new SourceError('credentials_in_url', 'URL carries credentials', { url: url.href });
  }
  return url;
}

/**
 * Resolves a link found in a document against the document's URL, keeping only web links:
 * `null` for anything that is not an absolute http(s) URL afterwards (a `javascript:` link must
 * never be posted or fetched).
 */
export function resolveWebUrl(link: string, base: string): string | null {
  try {
    const url = new URL(link, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
