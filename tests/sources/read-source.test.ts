import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher, type Fetcher } from '../../src/sources/fetch-url.js';
import { readSource } from '../../src/sources/read-source.js';
import { SourceError, type SourceErrorCode, type SourceOutcome } from '../../src/sources/types.js';
import { readFeedFixture, startLocalHttpServer, type LocalHttpServer } from './local-http-server.js';

/** What the local server answers for each path: a fixture, with its content type and extras. */
interface Route {
  fixture: string;
  contentType: string;
  gzip?: boolean;
  etag?: string;
}

const routes: Record<string, Route> = {
  '/rss': { fixture: 'rss-arabic.xml', contentType: 'application/rss+xml; charset=utf-8', etag: '"rss-1"' },
  '/rss.gz': { fixture: 'rss-arabic.xml', contentType: 'application/rss+xml', gzip: true },
  '/atom': { fixture: 'atom.xml', contentType: 'application/atom+xml' },
  '/rdf': { fixture: 'rdf.xml', contentType: 'application/rdf+xml' },
  '/json': { fixture: 'json-feed.json', contentType: 'application/feed+json' },
  '/legacy': { fixture: 'windows-1256.xml', contentType: 'text/xml' },
  '/utf16': { fixture: 'utf16-le-bom.xml', contentType: 'application/xml' },
  '/page': { fixture: 'page-with-feed-link.html', contentType: 'text/html; charset=utf-8' },
  '/feed.xml': { fixture: 'rss-arabic.xml', contentType: 'application/rss+xml' },
  '/comments/feed.xml': { fixture: 'atom.xml', contentType: 'application/atom+xml' },
  '/c/feed.xml': { fixture: 'atom.xml', contentType: 'application/atom+xml' },
  '/plain-page': { fixture: 'page-without-feed-link.html', contentType: 'text/html' },
};

let server: LocalHttpServer;
let fetcher: Fetcher;

async function start(): Promise<void> {
  server = await startLocalHttpServer((request, response) => {
    const route = routes[new URL(request.url ?? '/', 'http://local').pathname];
    if (!route) {
      response.writeHead(404);
      response.end();
      return;
    }
    if (route.etag && request.headers['if-none-match'] === route.etag) {
      response.writeHead(304, { etag: route.etag });
      response.end();
      return;
    }
    const body = readFeedFixture(route.fixture);
    response.writeHead(200, {
      'content-type': route.contentType,
      ...(route.etag ? { etag: route.etag } : {}),
      ...(route.gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    response.end(route.gzip ? gzipSync(body) : body);
  });
  fetcher = createFetcher({
    userAgent: 'nashra-test/1.0',
    allowHosts: ['127.0.0.1'],
    // Never consult real DNS: these tests only use the 127.0.0.1 literal.
    resolve: async () => [],
    timeoutMs: 5_000,
  });
}

afterEach(async () => {
  await fetcher?.close();
  await server?.close();
});

function fresh(outcome: SourceOutcome) {
  if (outcome.notModified) throw new Error('expected a fresh reading');
  return outcome;
}

async function expectFailure(promise: Promise<unknown>, code: SourceErrorCode): Promise<void> {
  const err = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(err).toBeInstanceOf(SourceError);
  expect((err as SourceError).code).toBe(code);
}

describe('readSource', () => {
  it.each([
    ['/rss', 'rss', 'أخبار اليوم'],
    ['/rss.gz', 'rss', 'أخبار اليوم'],
    ['/atom', 'atom', 'Atom example'],
    ['/rdf', 'rdf', 'RDF example'],
    ['/json', 'json', 'JSON example'],
    ['/legacy', 'rss', 'صحيفة قديمة'],
    ['/utf16', 'rss', 'نشرة UTF-16'],
  ])('reads %s as a %s feed titled %s', async (path, format, title) => {
    await start();
    const reading = fresh(await readSource(fetcher, `${server.origin}${path}`));
    expect(reading.feedUrl).toBe(`${server.origin}${path}`);
    expect(reading.feed.format).toBe(format);
    expect(reading.feed.title).toBe(title);
    expect(reading.feed.entries.length).toBeGreaterThan(0);
  });

  it('reads the Arabic item of a windows-1256 feed', async () => {
    await start();
    const reading = fresh(await readSource(fetcher, `${server.origin}/legacy`));
    expect(reading.feed.entries[0]).toMatchObject({ key: 'legacy-1', title: 'خبر عاجل من القاهرة' });
  });

  it('returns the validators, then reports an unchanged feed as not modified', async () => {
    await start();
    const first = fresh(await readSource(fetcher, `${server.origin}/rss`));
    expect(first).toMatchObject({ etag: '"rss-1"', lastModified: null });

    const second = await readSource(fetcher, `${server.origin}/rss`, { etag: first.etag });
    expect(second).toEqual({ notModified: true, feedUrl: `${server.origin}/rss`, etag: '"rss-1"', lastModified: null });
  });

  it('follows the feed a page announces, skipping comment feeds', async () => {
    await start();
    const reading = fresh(await readSource(fetcher, `${server.origin}/page`));
    expect(reading.feedUrl).toBe(`${server.origin}/feed.xml?format=rss&lang=ar`);
    expect(reading.feed.title).toBe('أخبار اليوم');
    expect(server.requests.map((request) => request.url)).toEqual(['/page', '/feed.xml?format=rss&lang=ar']);
  });

  it('refuses a page that announces no feed', async () => {
    await start();
    await expectFailure(readSource(fetcher, `${server.origin}/plain-page`), 'not_a_feed');
    expect(server.requests).toHaveLength(1);
  });

  it('reports a missing page as an HTTP status failure', async () => {
    await start();
    await expectFailure(readSource(fetcher, `${server.origin}/nothing-here`), 'http_status');
  });

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/feed', 'mailto:news@example.com', '::not a url::'])(
    'refuses %s before fetching',
    async (url) => {
      await start();
      await expectFailure(readSource(fetcher, url), 'invalid_url');
      expect(server.requests).toHaveLength(0);
    },
  );
});
