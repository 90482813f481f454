import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher, type Fetcher } from '../../src/sources/fetch-url.js';
import { parseDocument } from '../../src/sources/parse-document.js';
import { maxDiscoveryRequests, readSource } from '../../src/sources/read-source.js';
import {
  SourceError,
  type DocumentInput,
  type DocumentParser,
  type SourceErrorCode,
  type SourceOutcome,
} from '../../src/sources/types.js';
import { readFeedFixture, startLocalHttpServer, type LocalHttpServer } from './local-http-server.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Serves a fixture with a content type and optional extra headers (and compression). */
function fixture(name: string, contentType: string, extra: { headers?: Record<string, string>; encode?: 'gzip' | 'deflate' | 'br' } = {}): Handler {
  const compress = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };
  return (_request, response) => {
    const body = readFeedFixture(name);
    response.writeHead(200, {
      'content-type': contentType,
      ...extra.headers,
      ...(extra.encode ? { 'content-encoding': extra.encode } : {}),
    });
    response.end(extra.encode ? compress[extra.encode](body) : body);
  };
}

function status(code: number, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(code, headers);
    response.end();
  };
}

const rssType = 'application/rss+xml; charset=utf-8';

let server: LocalHttpServer;
let fetcher: Fetcher;

/** Starts a server whose routes are keyed by the request's path and query, as sent. */
async function start(routes: Record<string, Handler>): Promise<string> {
  server = await startLocalHttpServer((request, response) => {
    const route = routes[request.url ?? '/'];
    if (!route) {
      response.writeHead(404);
      response.end();
      return;
    }
    route(request, response);
  });
  fetcher = createFetcher({
    userAgent: 'nashra-test/1.0',
    allowHosts: ['127.0.0.1'],
    // Never consult real DNS: these tests only use the 127.0.0.1 literal.
    resolve: async () => [],
    timeoutMs: 5_000,
  });
  return server.origin;
}

afterEach(async () => {
  await fetcher?.close();
  await server?.close();
});

function fresh(outcome: SourceOutcome) {
  if (outcome.notModified) throw new Error('expected a fresh reading');
  return outcome;
}

async function failureOf(promise: Promise<unknown>, code: SourceErrorCode): Promise<SourceError> {
  const err = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(err).toBeInstanceOf(SourceError);
  expect((err as SourceError).code).toBe(code);
  return err as SourceError;
}

/** A parser that records what it was given, then parses in process. */
function countingParser(): DocumentParser & { inputs: DocumentInput[] } {
  const inputs: DocumentInput[] = [];
  const parse = async (input: DocumentInput) => {
    inputs.push(input);
    return parseDocument(input);
  };
  return Object.assign(parse, { inputs });
}

const paths = () => server.requests.map((request) => request.url);

describe('readSource: formats and encodings', () => {
  it.each([
    ['rss-arabic.xml', rssType, 'rss', 'أخبار اليوم'],
    ['rss-091.xml', 'text/xml', 'rss', 'Netscape-era news'],
    ['rss-092.xml', 'application/rss+xml', 'rss', 'نشرة 0.92'],
    ['atom-xhtml.xml', 'application/atom+xml', 'atom', 'XHTML Atom'],
    ['rdf-dc-date.xml', 'application/rdf+xml', 'rdf', 'Slashy RDF'],
    ['json-feed-1.1.json', 'application/feed+json', 'json', 'صحيفة JSON'],
    ['windows-1256.xml', 'text/xml', 'rss', 'صحيفة قديمة'],
    ['utf16-le-bom.xml', 'application/xml', 'rss', 'نشرة UTF-16'],
    ['utf16-be-bom.xml', 'application/xml', 'rss', 'نشرة UTF-16BE'],
    // A feed served as text/html is still a feed.
    ['rss-arabic.xml', 'text/html', 'rss', 'أخبار اليوم'],
  ])('reads %s served as %s as a %s feed titled %s', async (name, contentType, format, title) => {
    const origin = await start({ '/feed': fixture(name, contentType) });
    const reading = fresh(await readSource(fetcher, `${origin}/feed`));
    expect(reading.feedUrl).toBe(`${origin}/feed`);
    expect(reading.feed).toMatchObject({ format, title });
    expect(reading.feed.entries.length).toBeGreaterThan(0);
    expect(reading.bodyHash).toBe(createHash('sha256').update(readFeedFixture(name)).digest('hex'));
  });

  it.each(['gzip', 'deflate', 'br'] as const)('reads a feed answered with %s compression', async (encode) => {
    const origin = await start({ '/feed': fixture('rss-arabic.xml', rssType, { encode }) });
    const reading = fresh(await readSource(fetcher, `${origin}/feed`));
    expect(reading.feed.entries.map((entry) => entry.key)).toEqual(['news-1', 'news-2']);
  });

  it('reads the WordPress REST posts list as a feed', async () => {
    const origin = await start({ '/wp-json/wp/v2/posts': fixture('wordpress-posts.json', 'application/json; charset=UTF-8') });
    const reading = fresh(await readSource(fetcher, `${origin}/wp-json/wp/v2/posts`));
    expect(reading.feed.format).toBe('wordpress');
    expect(reading.feed.entries.map((entry) => entry.key)).toEqual(['4711', '4710']);
  });
});

describe('readSource: refusals', () => {
  it.each([
    ['billion-laughs.xml', 'hostile_document'],
    ['xxe-system.xml', 'hostile_document'],
    ['not-a-feed.json', 'not_a_feed'],
    ['empty.xml', 'not_a_feed'],
    ['malformed-broken.xml', 'not_a_feed'],
  ] as const)('refuses %s as %s', async (name, code) => {
    const origin = await start({ '/feed': fixture(name, 'application/xml') });
    const err = await failureOf(readSource(fetcher, `${origin}/feed`), code);
    expect(err.detail.url).toBe(`${origin}/feed`);
  });

  it('reports 410 as gone', async () => {
    const origin = await start({ '/feed': status(410) });
    await failureOf(readSource(fetcher, `${origin}/feed`), 'gone');
  });

  it('reports 429 and 503 with the Retry-After to honour', async () => {
    const origin = await start({ '/busy': status(429, { 'retry-after': '90' }), '/down': status(503, { 'retry-after': '3600' }) });
    const busy = await failureOf(readSource(fetcher, `${origin}/busy`), 'http_status');
    expect(busy.detail).toMatchObject({ status: 429, retryAfterSeconds: 90 });
    const down = await failureOf(readSource(fetcher, `${origin}/down`), 'http_status');
    expect(down.detail).toMatchObject({ status: 503, retryAfterSeconds: 3600 });
  });

  it('gives up on a redirect loop', async () => {
    const origin = await start({ '/a': status(302, { location: '/b' }), '/b': status(302, { location: '/a' }) });
    await failureOf(readSource(fetcher, `${origin}/a`), 'too_many_redirects');
  });

  it.each([
    ['file:///etc/passwd', 'invalid_url'],
    ['ftp://127.0.0.1/feed', 'invalid_url'],
    ['::not a url::', 'invalid_url'],
    ['http://user:pass@127.0.0.1/feed', 'credentials_in_url'],
    ['http://user@127.0.0.1/feed', 'credentials_in_url'],
  ] as const)('refuses %s as %s before fetching', async (url, code) => {
    await start({ '/feed': fixture('rss-arabic.xml', rssType) });
    await failureOf(readSource(fetcher, url), code);
    expect(server.requests).toHaveLength(0);
  });

  it('reports a missing page as an HTTP status failure', async () => {
    const origin = await start({});
    await failureOf(readSource(fetcher, `${origin}/nothing-here`), 'http_status');
  });
});

describe('readSource: polling costs what is new', () => {
  it('sends the remembered validators and reports a 304 as unchanged, keeping the body hash', async () => {
    const origin = await start({
      '/feed': (request, response) => {
        if (request.headers['if-none-match'] === '"v1"') {
          response.writeHead(304, { etag: '"v1"', 'cache-control': 'max-age=120' });
          response.end();
          return;
        }
        fixture('rss-arabic.xml', rssType, { headers: { etag: '"v1"' } })(request, response);
      },
    });
    const first = fresh(await readSource(fetcher, `${origin}/feed`));
    expect(first).toMatchObject({ etag: '"v1"', lastModified: null, maxAgeSeconds: null, movedTo: null });

    const parse = countingParser();
    const memory = { etag: first.etag, lastModified: first.lastModified, bodyHash: first.bodyHash };
    const second = await readSource(fetcher, `${origin}/feed`, { memory, parse });
    expect(second).toEqual({
      notModified: true,
      feedUrl: `${origin}/feed`,
      bodyHash: first.bodyHash,
      etag: '"v1"',
      lastModified: null,
      maxAgeSeconds: 120,
      movedTo: null,
    });
    expect(parse.inputs).toHaveLength(0);
  });

  it('does not parse a body byte-identical to the last one read, when the server sends no validators', async () => {
    let version = 'rss-arabic.xml';
    const origin = await start({ '/feed': (request, response) => fixture(version, rssType)(request, response) });
    const parse = countingParser();
    const first = fresh(await readSource(fetcher, `${origin}/feed`, { parse }));
    expect(parse.inputs).toHaveLength(1);
    expect(parse.inputs[0]).toMatchObject({ contentType: rssType, url: `${origin}/feed` });

    const memory = { etag: null, lastModified: null, bodyHash: first.bodyHash };
    const same = await readSource(fetcher, `${origin}/feed`, { memory, parse });
    expect(same).toMatchObject({ notModified: true, bodyHash: first.bodyHash });
    expect(parse.inputs).toHaveLength(1);

    version = 'rss-ttl.xml';
    const changed = fresh(await readSource(fetcher, `${origin}/feed`, { memory, parse }));
    expect(changed.feed.title).toBe('Slow feed');
    expect(changed.bodyHash).not.toBe(first.bodyHash);
    expect(parse.inputs).toHaveLength(2);
  });

  it('hands the body to the parser it is given, and reports what that parser refused', async () => {
    const origin = await start({ '/feed': fixture('rss-arabic.xml', rssType) });
    const parse: DocumentParser = async () => ({ kind: 'refused', code: 'hostile_document', message: 'from the worker' });
    const err = await failureOf(readSource(fetcher, `${origin}/feed`, { parse }), 'hostile_document');
    expect(err.message).toBe('from the worker');
  });

  it('still accepts bare validators as its third argument', async () => {
    const origin = await start({ '/feed': fixture('rss-arabic.xml', rssType, { headers: { etag: '"x"' } }) });
    const reading = fresh(await readSource(fetcher, `${origin}/feed`, { etag: '"old"', lastModified: null }));
    expect(reading.etag).toBe('"x"');
    expect(server.requests[0]?.headers['if-none-match']).toBe('"old"');
  });
});

describe('readSource: redirects', () => {
  it('reports where the feed moved when every hop was permanent (301 chain)', async () => {
    const origin = await start({
      '/old': status(301, { location: '/older' }),
      '/older': status(308, { location: '/feed' }),
      '/feed': fixture('rss-arabic.xml', rssType),
    });
    const reading = fresh(await readSource(fetcher, `${origin}/old`));
    expect(reading).toMatchObject({ feedUrl: `${origin}/feed`, movedTo: `${origin}/feed` });
  });

  it('does not move the source after a temporary redirect (302)', async () => {
    const origin = await start({
      '/old': status(301, { location: '/tmp' }),
      '/tmp': status(302, { location: '/feed' }),
      '/feed': fixture('rss-arabic.xml', rssType),
    });
    const reading = fresh(await readSource(fetcher, `${origin}/old`));
    expect(reading).toMatchObject({ feedUrl: `${origin}/feed`, movedTo: null });
  });
});

describe('readSource: discovering the feed of a page', () => {
  it('follows the feed a page announces, skipping comment feeds', async () => {
    const origin = await start({
      '/page': fixture('page-with-feed-link.html', 'text/html; charset=utf-8'),
      '/feed.xml?format=rss&lang=ar': fixture('rss-arabic.xml', rssType),
    });
    const reading = fresh(await readSource(fetcher, `${origin}/page`, { discover: true }));
    expect(reading.feedUrl).toBe(`${origin}/feed.xml?format=rss&lang=ar`);
    expect(reading.feed.title).toBe('أخبار اليوم');
    expect(paths()).toEqual(['/page', '/feed.xml?format=rss&lang=ar']);
  });

  it('refuses a page as not a feed when discovery is off, as for a poll', async () => {
    const origin = await start({ '/page': fixture('page-with-feed-link.html', 'text/html') });
    await failureOf(readSource(fetcher, `${origin}/page`, { discover: false }), 'not_a_feed');
    const memory = { etag: null, lastModified: null, bodyHash: null };
    await failureOf(readSource(fetcher, `${origin}/page`, { memory }), 'not_a_feed');
    expect(paths()).toEqual(['/page', '/page']);
  });

  it('tries the well-known paths in order on a page that announces no feed', async () => {
    const origin = await start({
      '/': fixture('page-without-feed-link.html', 'text/html'),
      '/atom.xml': fixture('atom.xml', 'application/atom+xml'),
      '/index.xml': fixture('rss-arabic.xml', rssType),
    });
    const reading = fresh(await readSource(fetcher, `${origin}/`, { discover: true }));
    expect(reading).toMatchObject({ feedUrl: `${origin}/atom.xml`, feed: { format: 'atom' } });
    expect(paths()).toEqual(['/', '/feed/', '/rss.xml', '/atom.xml']);
  });

  it('skips a well-known path that answers with a page or a hostile document', async () => {
    const origin = await start({
      '/news/': fixture('page-without-feed-link.html', 'text/html'),
      '/feed/': fixture('page-without-feed-link.html', 'text/html'),
      '/rss.xml': fixture('billion-laughs.xml', 'application/xml'),
      '/feed.json': fixture('json-feed-1.0.json', 'application/feed+json'),
    });
    const reading = fresh(await readSource(fetcher, `${origin}/news/`, { discover: true }));
    expect(reading.feedUrl).toBe(`${origin}/feed.json`);
    expect(paths()).toEqual(['/news/', '/feed/', '/rss.xml', '/atom.xml', '/index.xml', '/feed.json']);
  });

  it('finds the WordPress REST API from the Link header of the page', async () => {
    const origin = await start({
      '/': fixture('page-wordpress.html', 'text/html', { headers: { link: '</blog/wp-json/>; rel="https://api.w.org/"' } }),
      '/blog/wp-json/wp/v2/posts': fixture('wordpress-posts.json', 'application/json'),
    });
    const reading = fresh(await readSource(fetcher, `${origin}/`, { discover: true }));
    expect(reading).toMatchObject({ feedUrl: `${origin}/blog/wp-json/wp/v2/posts`, feed: { format: 'wordpress' } });
    expect(reading.feed.entries).toHaveLength(2);
    expect(paths().at(-1)).toBe('/blog/wp-json/wp/v2/posts');
  });

  it('follows a Link header that names the API with ?rest_route=', async () => {
    const origin = await start({
      '/': fixture('page-wordpress.html', 'text/html', { headers: { link: '</?rest_route=/>; rel="https://api.w.org/"' } }),
      '/?rest_route=%2Fwp%2Fv2%2Fposts': fixture('wordpress-posts.json', 'application/json'),
    });
    const reading = fresh(await readSource(fetcher, `${origin}/`, { discover: true }));
    expect(reading.feedUrl).toBe(`${origin}/?rest_route=%2Fwp%2Fv2%2Fposts`);
  });

  it('falls back to /?rest_route=/wp/v2/posts when the page names no API', async () => {
    const origin = await start({
      '/': fixture('page-without-feed-link.html', 'text/html'),
      '/?rest_route=/wp/v2/posts': fixture('wordpress-posts.json', 'application/json'),
    });
    const reading = fresh(await readSource(fetcher, `${origin}/`, { discover: true }));
    expect(reading.feedUrl).toBe(`${origin}/?rest_route=/wp/v2/posts`);
  });

  it('gives up with not_a_feed after a bounded number of requests', async () => {
    const origin = await start({ '/': fixture('page-without-feed-link.html', 'text/html') });
    await failureOf(readSource(fetcher, `${origin}/`, { discover: true }), 'not_a_feed');
    expect(server.requests.length).toBeLessThanOrEqual(1 + maxDiscoveryRequests);
    expect(paths()).toEqual(['/', '/feed/', '/rss.xml', '/atom.xml', '/index.xml', '/feed.json', '/?rest_route=/wp/v2/posts']);
  });

  it('does not discover on from a document that is refused rather than a page', async () => {
    const origin = await start({ '/data': fixture('not-a-feed.json', 'application/json'), '/feed/': fixture('rss-arabic.xml', rssType) });
    await failureOf(readSource(fetcher, `${origin}/data`, { discover: true }), 'not_a_feed');
    expect(paths()).toEqual(['/data']);
  });
});
