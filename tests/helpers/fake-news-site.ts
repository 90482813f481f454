import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Article {
  guid: string;
  title: string;
  link: string;
  /** Plain text, one paragraph per line; served as HTML paragraphs in <description>. */
  body: string;
  pubDate: Date;
}

const seedFile = new URL('../fixtures/seed-article.txt', import.meta.url);

/**
 * The seed article as the blog publishes it: the headline line (after the skip link), and the
 * body with its "read also" line and signature. Words stay broken, as on the page.
 */
export function seedArticle(): { title: string; body: string } {
  const lines = fs
    .readFileSync(seedFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const [, title, ...body] = lines; // lines[0] is the skip link
  return { title: title!, body: body.join('\n') };
}

const xml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * A stand-in news blog on 127.0.0.1 serving an RSS 2.0 feed at /feed.xml, whose articles a test
 * can add while the bot runs. It records every request path.
 */
export class FakeNewsSite {
  readonly articles: Article[] = [];
  readonly requests: string[] = [];
  private server!: http.Server;

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get feedUrl(): string {
    return `${this.origin}/feed.xml`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.requests.push(req.url ?? '');
      if (req.url === '/feed.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
        res.end(this.renderFeed());
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Publishes an article; it appears first in the feed, as blogs list newest first. */
  publish(article: Omit<Article, 'link' | 'pubDate'> & { link?: string; pubDate?: Date }): Article {
    const full: Article = {
      link: article.link ?? `${this.origin}/${encodeURIComponent(article.guid)}/`,
      pubDate: article.pubDate ?? new Date(),
      ...article,
    };
    this.articles.unshift(full);
    return full;
  }

  renderFeed(): string {
    const items = this.articles
      .map(
        (article) => `
    <item>
      <title>${xml(article.title)}</title>
      <link>${xml(article.link)}</link>
      <guid isPermaLink="false">${xml(article.guid)}</guid>
      <pubDate>${article.pubDate.toUTCString()}</pubDate>
      <description>${xml(article.body.split('\n').map((p) => `<p>${xml(p)}</p>`).join(''))}</description>
    </item>`,
      )
      .join('');
    return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>مدونة هادي العبد الله</title>
    <link>${this.origin}/</link>
    <description>أخبار</description>${items}
  </channel>
</rss>`;
  }
}
