import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, makeTempDir } from '../helpers/bot-process.js';
import { FakeTelegram, type FakeChat, type FakeUser } from '../helpers/fake-telegram.js';
import { readFeedFixture, startLocalHttpServer, type LocalHttpServer } from '../sources/local-http-server.js';

const token = '123456:TEST-token_for-source-formats';
const admin: FakeUser = { id: 411, first_name: 'Admin', language_code: 'en' };
const adminChat: FakeChat = { id: admin.id, type: 'private', first_name: 'Admin' };

/** One stand-in site per format, each a fixture served with the content type publishers use. */
const feeds: Record<string, { fixture: string; contentType: string }> = {
  '/rss-092.xml': { fixture: 'rss-092.xml', contentType: 'application/rss+xml' },
  '/rdf.xml': { fixture: 'rdf-dc-date.xml', contentType: 'application/rdf+xml' },
  '/atom.xml': { fixture: 'atom-xhtml.xml', contentType: 'application/atom+xml; charset=utf-8' },
  '/feed.json': { fixture: 'json-feed-1.1.json', contentType: 'application/feed+json' },
  '/lol.xml': { fixture: 'billion-laughs.xml', contentType: 'application/rss+xml' },
};

describe('/addsource reads every kind of source, started as users start the bot', () => {
  let telegram: FakeTelegram;
  let feedSite: LocalHttpServer;
  let wordPressSite: LocalHttpServer;
  let bot: BotProcess;

  beforeAll(async () => {
    telegram = await new FakeTelegram(token).start();
    feedSite = await startLocalHttpServer((request, response) => {
      const feed = feeds[request.url ?? ''];
      if (!feed) {
        response.writeHead(404);
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': feed.contentType });
      response.end(readFeedFixture(feed.fixture));
    });
    // A WordPress site with its feeds switched off: only its REST API, announced in a Link header.
    wordPressSite = await startLocalHttpServer((request, response) => {
      if (request.url === '/') {
        response.writeHead(200, {
          'content-type': 'text/html; charset=UTF-8',
          link: `<${wordPressSite.origin}/wp-json/>; rel="https://api.w.org/"`,
        });
        response.end(readFeedFixture('page-wordpress.html'));
      } else if (request.url === '/wp-json/wp/v2/posts') {
        response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        response.end(readFeedFixture('wordpress-posts.json'));
      } else {
        response.writeHead(404, { 'content-type': 'text/html' });
        response.end('<!DOCTYPE html><html><body>Not found</body></html>');
      }
    });

    const dir = makeTempDir();
    bot = new BotProcess({
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: `sqlite:${path.join(dir, 'nashra.sqlite')}`,
      BOT_ADMINS: String(admin.id),
      HTTP_PORT: '0',
      FETCH_ALLOW_HOSTS: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    await bot.waitForLog((line) => line.msg === 'nashra started', 20_000);
  });

  afterAll(async () => {
    bot?.kill();
    await telegram?.close();
    await feedSite?.close();
    await wordPressSite?.close();
  });

  it.each([
    ['an RSS 0.92 feed', '/rss-092.xml', 'نشرة 0.92', '3 articles'],
    ['an RDF (RSS 1.0) feed', '/rdf.xml', 'Slashy RDF', '2 articles'],
    ['an Atom feed', '/atom.xml', 'XHTML Atom', '1 article'],
    ['a JSON Feed 1.1', '/feed.json', 'صحيفة JSON', '2 articles'],
  ])('adds %s, naming it and counting its articles', async (_kind, feedPath, title, count) => {
    const text = await telegram.ask(admin, adminChat, `/addsource ${feedSite.origin}${feedPath}`);
    expect(text).toContain('Added');
    expect(text).toContain(title);
    expect(text).toContain(count);
  });

  it('finds the WordPress REST API of a site that has no feed, and adds its posts', async () => {
    const text = await telegram.ask(admin, adminChat, `/addsource ${wordPressSite.origin}/`);
    expect(text).toContain('Added');
    // The posts list carries no site name: the source is named by its address.
    expect(text).toContain(wordPressSite.origin);
    expect(text).toContain('2 articles');
    expect(wordPressSite.requests.map((request) => request.url)).toContain('/wp-json/wp/v2/posts');
  });

  it('refuses a billion-laughs feed with a clear reason, and does not add it', async () => {
    const text = await telegram.ask(admin, adminChat, `/addsource ${feedSite.origin}/lol.xml`);
    expect(text).toContain('I cannot use');
    expect(text).toContain('declares XML entities');
    const list = await telegram.ask(admin, adminChat, '/sources');
    // The five sources added above, and not the refused one (whose title would be its unexpanded "&lol9;").
    expect(list.match(/^<b>\d+<\/b>\. /gm)).toHaveLength(5);
    expect(list).toContain('Slashy RDF');
    expect(list).not.toContain('lol9');
  });
});
