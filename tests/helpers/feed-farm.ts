import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FarmItem {
  guid: string;
  title: string;
  body: string;
  pubDate: Date;
}

/** How one stand-in feed answers. */
export interface FarmFeed {
  url: string;
  items: FarmItem[];
  /** Answer with this status instead of the feed (a Retry-After header goes with 429/503). */
  status?: number;
  headers?: Record<string, string>;
  /** Never answer (a hung server); the fetcher's timeout has to end it. */
  hang?: boolean;
  /** Answer this long after the request. */
  delayMs?: number;
  /** Give each item a new guid at every request (a feed that churns its ids). */
  churnGuids?: boolean;
  /** Served verbatim with 200 instead of the rendered feed (a broken or garbage body). */
  raw?: string;
  /** Called as each request for this feed arrives, before it is answered (benchmarks change the feed here). */
  onRequest?: (feed: FarmFeed) => void;
  /** Requests this feed received. */
  requests: number;
  rendered?: string;
}

const xml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * Many stand-in RSS feeds on one or more loopback hosts (127.0.0.1, or 127.0.1.x for "50 hosts"),
 * each a real HTTP server, counting requests and the most requests any host served at once.
 */
export class FeedFarm {
  private readonly servers = new Map<string, http.Server>();
  private readonly origins = new Map<string, string>();
  private readonly feeds = new Map<string, FarmFeed>();
  private readonly redirects = new Map<string, string>();
  private readonly activeByHost = new Map<string, number>();
  readonly maxActiveByHost = new Map<string, number>();
  private churn = 0;
  /** Answers of `delayMs` feeds still waiting, cleared at close so no timer outlives the farm. */
  private readonly delayed = new Set<NodeJS.Timeout>();

  /**
   * Starts one server per host. `hosts` are labels that are also the listening addresses, unless
   * `listenAddress` is given: then every host listens there on a port of its own (for machines where
   * only 127.0.0.1 can be bound, a host is told apart by its port).
   */
  async start(hosts: readonly string[] = ['127.0.0.1'], options: { listenAddress?: string } = {}): Promise<this> {
    for (const host of hosts) {
      const address = options.listenAddress ?? host;
      const server = http.createServer((req, res) => this.handle(host, req, res));
      server.keepAliveTimeout = 30_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, address, resolve);
      });
      this.servers.set(host, server);
      this.origins.set(host, `http://${address}:${(server.address() as AddressInfo).port}`);
    }
    return this;
  }

  /** Requests served so far, over every feed. */
  get totalRequests(): number {
    let total = 0;
    for (const feed of this.feeds.values()) total += feed.requests;
    return total;
  }

  origin(host = '127.0.0.1'): string {
    return this.origins.get(host)!;
  }

  /** Adds a feed at `path` on `host` with `count` items; returns it (mutable: tests change its behaviour). */
  addFeed(path: string, options: { host?: string; count?: number; titlePrefix?: string } & Partial<FarmFeed> = {}): FarmFeed {
    const url = `${this.origin(options.host)}${path}`;
    const base = Date.now() - 3_600_000;
    const items = Array.from({ length: options.count ?? 3 }, (_, i) => ({
      guid: `${path}#${i}`,
      title: `${options.titlePrefix ?? 'خبر'} ${path} رقم ${i}`,
      body: `نص الخبر ${i} من ${path}: خـ.ـسائر وأضرار في المنطقة.`,
      pubDate: new Date(base + i * 1000),
    }));
    const feed: FarmFeed = { url, requests: 0, ...options, items };
    this.feeds.set(url, feed);
    return feed;
  }

  /** Publishes a new item at the top of a feed. */
  publish(feed: FarmFeed, item: Partial<FarmItem> & { guid: string }): void {
    feed.items.push({ title: `جديد ${item.guid}`, body: `نص ${item.guid}`, pubDate: new Date(), ...item });
    feed.rendered = undefined;
  }

  /** Serves a permanent redirect from `feed`'s URL to `to`'s. */
  moveFeed(from: string, to: FarmFeed): void {
    this.redirects.set(from, to.url);
  }

  feed(url: string): FarmFeed | undefined {
    return this.feeds.get(url);
  }

  private handle(host: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const active = (this.activeByHost.get(host) ?? 0) + 1;
    this.activeByHost.set(host, active);
    this.maxActiveByHost.set(host, Math.max(active, this.maxActiveByHost.get(host) ?? 0));
    res.on('close', () => this.activeByHost.set(host, (this.activeByHost.get(host) ?? 1) - 1));
    const url = `${this.origin(host)}${req.url ?? '/'}`;
    const target = this.redirects.get(url);
    if (target) {
      res.writeHead(301, { location: target });
      res.end();
      return;
    }
    const feed = this.feeds.get(url);
    if (!feed) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    feed.requests += 1;
    feed.onRequest?.(feed);
    if (feed.hang) return;
    const answer = () => {
      if (feed.status && feed.status !== 200) {
        res.writeHead(feed.status, { 'content-type': 'text/plain', ...feed.headers });
        res.end(`status ${feed.status}`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', ...feed.headers });
      res.end(feed.raw ?? this.render(feed));
    };
    if (feed.delayMs) {
      const timer = setTimeout(() => {
        this.delayed.delete(timer);
        answer();
      }, feed.delayMs);
      this.delayed.add(timer);
    } else answer();
  }

  private render(feed: FarmFeed): string {
    if (feed.rendered && !feed.churnGuids) return feed.rendered;
    const churn = feed.churnGuids ? `-${++this.churn}` : '';
    const items = [...feed.items]
      .reverse()
      .map(
        (item) => `<item><title>${xml(item.title)}</title><link>${xml(feed.url)}/${encodeURIComponent(item.guid)}${churn}</link>` +
          `<guid isPermaLink="false">${xml(item.guid)}${churn}</guid><pubDate>${item.pubDate.toUTCString()}</pubDate>` +
          `<description>${xml(`<p>${xml(item.body)}</p>`)}</description></item>`,
      )
      .join('\n');
    feed.rendered = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Farm ${xml(feed.url)}</title><link>${xml(feed.url)}</link><description>d</description>\n${items}\n</channel></rss>`;
    return feed.rendered;
  }

  async close(): Promise<void> {
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    await Promise.all(
      [...this.servers.values()].map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  }
}
