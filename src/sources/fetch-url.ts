import { isIP } from 'node:net';
import { Writable, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import {
  createGuardedLookup,
  createHostAllowList,
  isPublicAddress,
  type ResolveHostname,
} from './address-guard.js';
import { parseLinkHeader, parseMaxAge, parseRetryAfter, type HeaderLink } from './http-hints.js';
import { parseSourceUrl } from './source-url.js';
import { SourceError } from './types.js';

/** Options of {@link createFetcher}. */
export interface FetcherOptions {
  /** Sent on every request, so site owners can tell who polls them and how to reach us. */
  userAgent: string;
  /** Hosts (names or IP literals) allowed to be non-public addresses. */
  allowHosts: readonly string[];
  /** DNS resolver; defaults to the system one. Tests inject a fake so nothing leaves the machine. */
  resolve?: ResolveHostname;
  /** Budget for the whole fetch, redirects and body included. Default 20 000 ms. */
  timeoutMs?: number;
  /** Budget for establishing one TCP/TLS connection. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Largest body accepted, counted after decompression. Default 10 MB. */
  maxBytes?: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
}

/** Validators from an earlier fetch, turning the request into a conditional GET. */
export interface ConditionalRequest {
  etag?: string | null;
  lastModified?: string | null;
}

/** A fetched HTTP document, decompressed but not yet decoded to text. */
export interface FetchedDocument {
  /** Final URL, after redirects. */
  url: string;
  status: number;
  /** Decompressed body; empty when `notModified`. */
  body: Buffer;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** The server answered 304 to the conditional request. */
  notModified: boolean;
  /** Cache-Control max-age of the final answer (seconds, at most a day), when given. */
  maxAgeSeconds: number | null;
  /** The HTTP `Link` header of the final answer (WordPress announces its REST API there). */
  links: HeaderLink[];
  /** At least one redirect was followed, and every one was permanent (301/308). */
  movedPermanently: boolean;
}

/** The one way nashra reads a URL from the network. */
export interface Fetcher {
  /** Fetches `url`, following redirects; throws `SourceError` on any failure. */
  fetchUrl(url: string, init?: ConditionalRequest): Promise<FetchedDocument>;
  /** Closes pooled connections and aborts fetches still in flight (used at shutdown). */
  close(): Promise<void>;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const permanentRedirectStatuses = new Set([301, 308]);
/** Statuses whose Retry-After says when the source may be asked again. */
const retryLaterStatuses = new Set([429, 503]);

const acceptFeeds = [
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/rdf+xml;q=0.9',
  'application/xml;q=0.9',
  'text/xml;q=0.9',
  'application/json;q=0.8',
  'text/html;q=0.7',
  '*/*;q=0.5',
].join(', ');

/**
 * Builds the fetcher used for every source. It refuses to reach private, loopback, link-local and
 * other non-public addresses (unless the host is in `allowHosts`), at every redirect hop, for names
 * (through a guarded DNS lookup on its own connection pool) and for IP literals alike. Bodies are
 * decompressed here and cut off at `maxBytes`, so a compression bomb costs at most that much memory.
 */
export function createFetcher(options: FetcherOptions): Fetcher {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const isAllowedHost = createHostAllowList(options.allowHosts);

  const agent = new Agent({
    connect: {
      lookup: createGuardedLookup({ allowHosts: options.allowHosts, resolve: options.resolve }),
      timeout: options.connectTimeoutMs ?? 10_000,
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  async function fetchUrl(url: string, init: ConditionalRequest = {}): Promise<FetchedDocument> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    let current = url;
    let allPermanent = true;
    try {
      for (let redirects = 0; ; redirects++) {
        const target = parseSourceUrl(current);
        refuseNonPublicLiteral(target, isAllowedHost);

        const response = await request(target, {
          dispatcher: agent,
          method: 'GET',
          headers: requestHeaders(options.userAgent, init),
          signal: deadline.signal,
        });
        const { statusCode, headers } = response;
        const location = headerValue(headers, 'location');

        if (redirectStatuses.has(statusCode) && location !== null) {
          await response.body.dump();
          if (redirects >= maxRedirects) {
            throw new SourceError('too_many_redirects', `more than ${maxRedirects} redirects`, { url });
          }
          if (!permanentRedirectStatuses.has(statusCode)) allPermanent = false;
          current = parseSourceUrl(location, target).href;
          continue;
        }

        const answer = {
          url: target.href,
          status: statusCode,
          contentType: headerValue(headers, 'content-type'),
          etag: headerValue(headers, 'etag'),
          lastModified: headerValue(headers, 'last-modified'),
          maxAgeSeconds: parseMaxAge(headerValue(headers, 'cache-control')),
          links: parseLinkHeader(joinedHeader(headers, 'link')),
          movedPermanently: redirects > 0 && allPermanent,
        };
        if (statusCode === 304) {
          await response.body.dump();
          return { ...answer, body: Buffer.alloc(0), notModified: true };
        }
        if (statusCode < 200 || statusCode > 299) {
          await response.body.dump();
          throw statusError(statusCode, target.href, headerValue(headers, 'retry-after'));
        }

        const body = await readBody(response.body, headerValue(headers, 'content-encoding'), {
          maxBytes,
          signal: deadline.signal,
        });
        return { ...answer, body, notModified: false };
      }
    } catch (err) {
      throw asSourceError(err, current, deadline.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }

  // Shutdown must not wait for a hung source's 20 s budget: in-flight fetches are aborted.
  return { fetchUrl, close: () => agent.destroy() };
}

/** 410 retires a source; 429 and 503 carry the server's Retry-After so the poller can wait that long. */
function statusError(status: number, url: string, retryAfter: string | null): SourceError {
  if (status === 410) return new SourceError('gone', 'HTTP 410: the feed is gone', { url, status });
  const retryAfterSeconds = retryLaterStatuses.has(status) ? parseRetryAfter(retryAfter) : null;
  return new SourceError('http_status', `HTTP ${status}`, {
    url,
    status,
    ...(retryAfterSeconds !== null ? { retryAfterSeconds } : {}),
  });
}

/**
 * `net.connect` skips the DNS lookup for IP literals, so the guarded lookup never sees them: they are
 * checked here, before any connection, by the same rule.
 */
function refuseNonPublicLiteral(url: URL, isAllowedHost: (host: string) => boolean): void {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0 && !isAllowedHost(host) && !isPublicAddress(host)) {
    throw new SourceError('blocked_address', `non-public address ${host}`, { url: url.href });
  }
}

function requestHeaders(userAgent: string, init: ConditionalRequest): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': userAgent,
    accept: acceptFeeds,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (init.etag) headers['if-none-match'] = init.etag;
  if (init.lastModified) headers['if-modified-since'] = init.lastModified;
  return headers;
}

function headerValue(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}

/** A header that may be sent several times, as one comma-separated list (RFC 9110 §5.3). */
function joinedHeader(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name];
  const joined = Array.isArray(value) ? value.join(', ') : value;
  return joined === undefined || joined === '' ? null : joined;
}

/** Picks the decompressor for a `Content-Encoding`; `null` means the body is sent as is. */
function createDecompressor(contentEncoding: string | null): Transform | null {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return null;
  // Stacked codings are legal but no feed server uses them; one is enough to support.
  if (codings.length > 1) {
    throw new SourceError('network', `unsupported content-encoding ${contentEncoding}`);
  }
  // Flushing instead of finishing accepts bodies whose compressed stream was cut short, as browsers do.
  switch (codings[0]) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      return zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'br':
      return zlib.createBrotliDecompress({
        flush: zlib.constants.BROTLI_OPERATION_FLUSH,
        finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
      });
    default:
      throw new SourceError('network', `unsupported content-encoding ${contentEncoding}`);
  }
}

/** Reads the whole body, decompressing it and stopping as soon as it exceeds `maxBytes`. */
async function readBody(
  body: Readable,
  contentEncoding: string | null,
  limits: { maxBytes: number; signal: AbortSignal },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      // Failing here destroys every stream of the pipeline, so the rest is never read or inflated.
      if (total > limits.maxBytes) {
        done(new SourceError('too_large', `body larger than ${limits.maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
      done();
    },
  });

  let decompressor: Transform | null;
  try {
    decompressor = createDecompressor(contentEncoding);
  } catch (err) {
    body.destroy();
    throw err;
  }
  if (decompressor) {
    await pipeline(body, decompressor, collect, { signal: limits.signal });
  } else {
    await pipeline(body, collect, { signal: limits.signal });
  }
  return Buffer.concat(chunks, total);
}

const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);

/** Finds an error worth reporting inside undici and Node wrappers (`cause`, `AggregateError`). */
function findSourceError(err: unknown, depth = 0): SourceError | null {
  if (err instanceof SourceError) return err;
  if (!(err instanceof Error) || depth > 5) return null;
  const nested = err instanceof AggregateError ? [...err.errors, err.cause] : [err.cause];
  for (const inner of nested) {
    const found = findSourceError(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

function asSourceError(err: unknown, url: string, deadlinePassed: boolean): SourceError {
  const found = findSourceError(err);
  if (found) {
    if (found.detail.url === undefined) {
      return new SourceError(found.code, found.message, { ...found.detail, url });
    }
    return found;
  }
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  if (deadlinePassed || (code !== undefined && timeoutCodes.has(code))) {
    return new SourceError('timeout', 'request timed out', { url });
  }
  if (code !== undefined && dnsCodes.has(code)) {
    return new SourceError('dns_failed', `DNS lookup failed: ${code}`, { url });
  }
  const reason = code ?? (err instanceof Error ? err.message : String(err));
  return new SourceError('network', `network error: ${reason}`, { url });
}
