import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolveHostname } from '../../src/sources/address-guard.js';
import { createFetcher, type Fetcher, type FetcherOptions } from '../../src/sources/fetch-url.js';
import { SourceError, type SourceErrorCode } from '../../src/sources/types.js';
import { startLocalHttpServer, type LocalHttpServer } from './local-http-server.js';

// Network rule: every request goes to 127.0.0.x. Names are answered by a fake resolver that only
// knows loopback addresses and never consults real DNS.
const fakeDns: Record<string, string> = {
  'feeds.allowed.test': '127.0.0.1',
  'evil.test': '127.0.0.1',
  'other-loopback.test': '127.0.0.2',
};
const resolveLoopbackOnly: ResolveHostname = async (hostname) => {
  const address = fakeDns[hostname];
  if (address === undefined) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};

const opened: Array<LocalHttpServer | Fetcher> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((resource) => resource.close()));
});

async function serve(handle: Parameters<typeof startLocalHttpServer>[0]): Promise<LocalHttpServer> {
  const server = await startLocalHttpServer(handle);
  opened.push(server);
  return server;
}

function fetcherWith(options: Partial<FetcherOptions> = {}): Fetcher {
  const fetcher = createFetcher({
    userAgent: 'nashra-test/1.0 (+https://nashra.example/bot)',
    allowHosts: ['127.0.0.1', 'feeds.allowed.test'],
    ...options,
    resolve: resolveLoopbackOnly,
  });
  opened.push(fetcher);
  return fetcher;
}

async function failureOf(promise: Promise<unknown>): Promise<SourceError> {
  const err = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(err).toBeInstanceOf(SourceError);
  return err as SourceError;
}

async function expectFailure(promise: Promise<unknown>, code: SourceErrorCode): Promise<SourceError> {
  const err = await failureOf(promise);
  expect(err.code).toBe(code);
  return err;
}

describe('fetchUrl', () => {
  it('fetches a document and reports its type and validators', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/rss+xml; charset=utf-8',
        etag: '"v1"',
        'last-modified': 'Tue, 04 Mar 2025 09:00:00 GMT',
      });
      response.end('<rss/>');
    });
    const document = await fetcherWith().fetchUrl(`${server.origin}/feed`);
    expect(document).toEqual({
      url: `${server.origin}/feed`,
      status: 200,
      body: Buffer.from('<rss/>'),
      contentType: 'application/rss+xml; charset=utf-8',
      etag: '"v1"',
      lastModified: 'Tue, 04 Mar 2025 09:00:00 GMT',
      notModified: false,
      maxAgeSeconds: null,
      links: [],
      movedPermanently: false,
    });
  });

  it('introduces itself and asks for feeds in any compression it can undo', async () => {
    const server = await serve((_request, response) => response.end('ok'));
    await fetcherWith().fetchUrl(`${server.origin}/`);
    const headers = server.requests[0]?.headers;
    expect(headers?.['user-agent']).toBe('nashra-test/1.0 (+https://nashra.example/bot)');
    expect(headers?.accept).toContain('application/rss+xml');
    expect(headers?.['accept-encoding']).toBe('gzip, deflate, br');
    expect(headers?.['if-none-match']).toBeUndefined();
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('undoes %s compression', async (encoding, compress) => {
    const text = '<rss version="2.0"><channel><title>مضغوط</title></channel></rss>'.repeat(50);
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': encoding, 'content-type': 'text/xml' });
      response.end(compress(Buffer.from(text)));
    });
    const document = await fetcherWith().fetchUrl(`${server.origin}/`);
    expect(document.body.toString('utf8')).toBe(text);
  });

  it('cuts a gzip bomb off at maxBytes of inflated data', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' });
      response.end(bomb);
    });
    const heapBefore = process.memoryUsage().arrayBuffers;
    await expectFailure(fetcherWith({ maxBytes: 1024 * 1024 }).fetchUrl(`${server.origin}/bomb`), 'too_large');
    // Far below the 50 MB the bomb would inflate to.
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(20 * 1024 * 1024);
  });

  it('refuses an uncompressed body larger than maxBytes', async () => {
    const server = await serve((_request, response) => response.end(Buffer.alloc(2 * 1024 * 1024, 'a')));
    await expectFailure(fetcherWith({ maxBytes: 1024 * 1024 }).fetchUrl(`${server.origin}/big`), 'too_large');
  });

  it('reports a 404 as an HTTP status failure carrying the status', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(404);
      response.end('gone');
    });
    const err = await expectFailure(fetcherWith().fetchUrl(`${server.origin}/missing`), 'http_status');
    expect(err.detail).toEqual({ url: `${server.origin}/missing`, status: 404 });
  });

  it('asks only for changes and reports a 304 as not modified with an empty body', async () => {
    const server = await serve((request, response) => {
      if (request.headers['if-none-match'] === '"v7"') {
        response.writeHead(304, { etag: '"v7"' });
        response.end();
        return;
      }
      response.writeHead(200, { etag: '"v7"', 'last-modified': 'Mon, 03 Mar 2025 00:00:00 GMT' });
      response.end('<rss/>');
    });
    const fetcher = fetcherWith();
    const first = await fetcher.fetchUrl(`${server.origin}/feed`);
    expect(first.notModified).toBe(false);

    const second = await fetcher.fetchUrl(`${server.origin}/feed`, {
      etag: first.etag,
      lastModified: first.lastModified,
    });
    expect(second).toMatchObject({ status: 304, notModified: true, etag: '"v7"' });
    expect(second.body.length).toBe(0);
    expect(server.requests[1]?.headers['if-modified-since']).toBe('Mon, 03 Mar 2025 00:00:00 GMT');
  });

  it('follows redirects and reports the final URL', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/old') {
        response.writeHead(301, { location: '/new' });
        response.end();
        return;
      }
      response.end('moved here');
    });
    const document = await fetcherWith().fetchUrl(`${server.origin}/old`);
    expect(document.url).toBe(`${server.origin}/new`);
    expect(document.body.toString()).toBe('moved here');
  });

  it('gives up on a redirect loop', async () => {
    const server = await serve((request, response) => {
      response.writeHead(302, { location: request.url === '/a' ? '/b' : '/a' });
      response.end();
    });
    await expectFailure(fetcherWith({ maxRedirects: 5 }).fetchUrl(`${server.origin}/a`), 'too_many_redirects');
    // The first request and five redirects followed.
    expect(server.requests).toHaveLength(6);
  });

  it('times out on a server that never answers', async () => {
    const server = await serve(() => {
      // Never respond.
    });
    const started = Date.now();
    await expectFailure(fetcherWith({ timeoutMs: 500 }).fetchUrl(`${server.origin}/slow`), 'timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('times out on a body that stalls half way', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': '1000' });
      response.write('only part of it');
    });
    await expectFailure(fetcherWith({ timeoutMs: 500 }).fetchUrl(`${server.origin}/stall`), 'timeout');
  });

  it('reports a refused connection as a network failure', async () => {
    const server = await startLocalHttpServer(() => undefined);
    const closedOrigin = server.origin;
    await server.close();
    await expectFailure(fetcherWith().fetchUrl(`${closedOrigin}/`), 'network');
  });

  it('reports an unknown name as a DNS failure', async () => {
    await expectFailure(fetcherWith({ allowHosts: ['nowhere.test'] }).fetchUrl('http://nowhere.test/'), 'dns_failed');
  });

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/feed', 'javascript:alert(1)', 'not a url', 'http://'])(
    'refuses %s as an invalid URL',
    async (url) => {
      await expectFailure(fetcherWith().fetchUrl(url), 'invalid_url');
    },
  );
});

describe('fetchUrl: what the server says about coming back and moving', () => {
  it('reports Cache-Control max-age and the Link header, on a 200 and on a 304', async () => {
    const server = await serve((request, response) => {
      const headers = {
        'cache-control': 'public, max-age=600',
        link: '<https://wp.example/wp-json/>; rel="https://api.w.org/"',
        etag: '"m1"',
      };
      response.writeHead(request.headers['if-none-match'] === '"m1"' ? 304 : 200, headers);
      response.end(request.headers['if-none-match'] === '"m1"' ? undefined : '<rss/>');
    });
    const fetcher = fetcherWith();
    const first = await fetcher.fetchUrl(`${server.origin}/feed`);
    expect(first).toMatchObject({ maxAgeSeconds: 600, links: [{ href: 'https://wp.example/wp-json/', rels: ['https://api.w.org/'] }] });
    const second = await fetcher.fetchUrl(`${server.origin}/feed`, { etag: '"m1"' });
    expect(second).toMatchObject({ notModified: true, maxAgeSeconds: 600 });
  });

  it('says the document moved for good only when every redirect was permanent', async () => {
    const server = await serve((request, response) => {
      const hops: Record<string, [number, string]> = {
        '/a': [301, '/b'],
        '/b': [308, '/c'],
        '/t': [301, '/u'],
        '/u': [302, '/c'],
      };
      const hop = hops[request.url ?? ''];
      if (hop) {
        response.writeHead(hop[0], { location: hop[1] });
        response.end();
        return;
      }
      response.end('<rss/>');
    });
    const fetcher = fetcherWith();
    expect(await fetcher.fetchUrl(`${server.origin}/a`)).toMatchObject({ url: `${server.origin}/c`, movedPermanently: true });
    expect(await fetcher.fetchUrl(`${server.origin}/t`)).toMatchObject({ url: `${server.origin}/c`, movedPermanently: false });
    expect(await fetcher.fetchUrl(`${server.origin}/c`)).toMatchObject({ movedPermanently: false });
  });

  it('reports 410 as gone', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(410);
      response.end('retired');
    });
    const err = await expectFailure(fetcherWith().fetchUrl(`${server.origin}/old-feed`), 'gone');
    expect(err.detail).toMatchObject({ status: 410 });
  });

  it('carries Retry-After of a 429 (seconds) and of a 503 (an HTTP date), capped at a day', async () => {
    const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();
    const server = await serve((request, response) => {
      const answers: Record<string, [number, string]> = {
        '/busy': [429, '120'],
        '/down': [503, inTwoMinutes],
        '/forever': [429, '99999999'],
      };
      const [status, retryAfter] = answers[request.url ?? ''] ?? [500, ''];
      response.writeHead(status, retryAfter ? { 'retry-after': retryAfter } : {});
      response.end();
    });
    const fetcher = fetcherWith();
    const busy = await expectFailure(fetcher.fetchUrl(`${server.origin}/busy`), 'http_status');
    expect(busy.detail).toMatchObject({ status: 429, retryAfterSeconds: 120 });
    const down = await expectFailure(fetcher.fetchUrl(`${server.origin}/down`), 'http_status');
    expect(down.detail.status).toBe(503);
    expect(down.detail.retryAfterSeconds).toBeGreaterThan(100);
    expect(down.detail.retryAfterSeconds).toBeLessThanOrEqual(120);
    const forever = await expectFailure(fetcher.fetchUrl(`${server.origin}/forever`), 'http_status');
    expect(forever.detail.retryAfterSeconds).toBe(86_400);
    const plain = await expectFailure(fetcher.fetchUrl(`${server.origin}/other`), 'http_status');
    expect(plain.detail).toEqual({ url: `${server.origin}/other`, status: 500 });
  });

  it('refuses a URL carrying credentials, and a redirect to one, without sending them', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/start') {
        response.writeHead(302, { location: `http://user:secret@127.0.0.1:${server.port}/private` });
        response.end();
        return;
      }
      response.end('<rss/>');
    });
    const direct = await expectFailure(fetcherWith().fetchUrl(`http://user:secret@127.0.0.1:${server.port}/feed`), 'credentials_in_url');
    expect(direct.detail.url).not.toContain('secret');
    expect(server.requests).toHaveLength(0);
    await expectFailure(fetcherWith().fetchUrl(`${server.origin}/start`), 'credentials_in_url');
    expect(server.requests.map((request) => request.url)).toEqual(['/start']);
  });
});

describe('fetchUrl address guard', () => {
  it('refuses a name that resolves to a non-public address, before connecting', async () => {
    const server = await serve((_request, response) => response.end('secret'));
    // evil.test resolves to 127.0.0.1, where the server listens: a broken guard would reach it.
    const err = await expectFailure(fetcherWith().fetchUrl(`http://evil.test:${server.port}/`), 'blocked_address');
    expect(err.detail.url).toBe(`http://evil.test:${server.port}/`);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a name that resolves to another loopback address', async () => {
    const server = await serve((_request, response) => response.end('secret'));
    await expectFailure(fetcherWith().fetchUrl(`http://other-loopback.test:${server.port}/`), 'blocked_address');
    expect(server.requests).toHaveLength(0);
  });

  it('fetches from an allowed name that resolves to a private address', async () => {
    const server = await serve((request, response) => response.end(`host ${request.headers.host}`));
    const document = await fetcherWith().fetchUrl(`http://feeds.allowed.test:${server.port}/feed`);
    expect(document.body.toString()).toBe(`host feeds.allowed.test:${server.port}`);
  });

  it('refuses a literal loopback address unless it is allowed', async () => {
    const server = await serve((_request, response) => response.end('ok'));
    await expectFailure(fetcherWith({ allowHosts: [] }).fetchUrl(`${server.origin}/`), 'blocked_address');
    expect(server.requests).toHaveLength(0);

    const document = await fetcherWith({ allowHosts: ['127.0.0.1'] }).fetchUrl(`${server.origin}/`);
    expect(document.body.toString()).toBe('ok');
  });

  it.each(['http://[::1]:9/', 'http://[::ffff:127.0.0.1]:9/', 'http://[::127.0.0.1]:9/', 'http://0x7f.1:9/', 'http://2130706433:9/'])(
    'refuses the loopback spelling %s',
    async (url) => {
      await expectFailure(fetcherWith({ allowHosts: [] }).fetchUrl(url), 'blocked_address');
    },
  );

  it('refuses a redirect from an allowed host to a refused one at that hop', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/start') {
        response.writeHead(302, { location: `http://127.0.0.3:${server.port}/inside` });
        response.end();
        return;
      }
      response.end('should never be served');
    });
    const err = await expectFailure(fetcherWith().fetchUrl(`${server.origin}/start`), 'blocked_address');
    expect(err.detail.url).toBe(`http://127.0.0.3:${server.port}/inside`);
    expect(server.requests.map((request) => request.url)).toEqual(['/start']);
  });

  it('refuses a redirect to a non-web scheme', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(302, { location: 'file:///etc/passwd' });
      response.end();
    });
    await expectFailure(fetcherWith().fetchUrl(`${server.origin}/`), 'invalid_url');
  });
});
