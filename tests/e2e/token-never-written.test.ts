import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { BotProcess, makeTempDir } from '../helpers/bot-process.js';
import { waitUntil } from '../helpers/wait-until.js';
import { recordAndQueuePosts } from '../../src/pipeline/record-items.js';

// Shaped like a real token (digits, colon, 35 characters of secret) so every code path treats it as one.
const secret = 'AAHq-SecretPartThatMustNeverLeak_x9';
const token = `7355608123:${secret}`;

type Misbehaviour = 'reset' | 'hang' | 'html-500' | 'ok' | { code: number; description: string; parameters?: Record<string, unknown> };

/**
 * A Bot API on 127.0.0.1 that fails in every way it can: dropped connections, requests left
 * hanging, 5xx (with and without a JSON body), 429, refused HTML. Each method plays its list of
 * answers in order, then answers as Telegram would (getUpdates: hangs, as a long poll with nothing new).
 */
class FailingTelegram {
  readonly calls = new Map<string, number>();
  private server!: http.Server;
  constructor(private readonly script: Record<string, Misbehaviour[]>) {}

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  count(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => this.answer(req, res));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Closes the port: hung requests are cut and every later call is refused. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const method = /\/([A-Za-z]+)$/.exec(req.url ?? '')?.[1] ?? '';
    this.calls.set(method, this.count(method) + 1);
    const planned = this.script[method]?.shift();
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const behaviour = planned ?? (method === 'getUpdates' ? 'hang' : 'ok');
    if (behaviour === 'reset') return void req.socket.destroy();
    if (behaviour === 'hang') return;
    if (behaviour === 'html-500') {
      res.writeHead(500, { 'content-type': 'text/html' });
      return void res.end('<html><body>500 Internal Server Error</body></html>');
    }
    if (behaviour !== 'ok') return json(behaviour.code, { ok: false, error_code: behaviour.code, description: behaviour.description, parameters: behaviour.parameters });
    if (method === 'getMe') {
      return json(200, { ok: true, result: { id: 7355608123, is_bot: true, first_name: 'nashra', username: 'nashra_test_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } });
    }
    if (method === 'sendMessage') {
      return json(200, { ok: true, result: { message_id: this.count(method), date: Math.floor(Date.now() / 1000), chat: { id: -1001, type: 'channel' }, text: 'x' } });
    }
    json(200, { ok: true, result: true });
  }
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Everything the process wrote, both streams. */
function written(bot: BotProcess): string {
  return bot.logs.map((line) => (line.raw ? String(line.msg) : JSON.stringify(line))).join('\n') + '\n' + bot.stderr.join('');
}

describe('the bot token', () => {
  const bots: BotProcess[] = [];
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const bot of bots.splice(0)) bot.kill();
    for (const server of servers.splice(0)) await server.close().catch(() => undefined);
  });

  it('is written nowhere, on stdout or stderr, while Telegram and a source fail in every way and the bot is stopped', { timeout: 60_000 }, async () => {
    const telegram = await new FailingTelegram({
      getMe: ['reset', { code: 502, description: 'Bad Gateway' }, { code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }, 'ok'],
      deleteWebhook: [{ code: 503, description: 'Service Unavailable' }, 'ok'],
      setMyCommands: [{ code: 500, description: 'Internal Server Error' }, 'reset'],
      getUpdates: [
        { code: 502, description: 'Bad Gateway' },
        { code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
        'html-500',
        'reset',
        'hang',
      ],
      sendMessage: [
        { code: 500, description: 'Internal Server Error' },
        { code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
        'reset',
        { code: 400, description: "Bad Request: can't parse entities" },
        'hang',
      ],
    }).start();
    servers.push(telegram);

    // A source that answers 500 and one whose port is closed, due at once (polled at every tick of a second).
    const site = http.createServer((_req, res) => {
      res.writeHead(500);
      res.end('down');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => site.close(() => resolve())) });
    let siteHits = 0;
    site.on('request', () => (siteHits += 1));
    const siteUrl = `http://127.0.0.1:${(site.address() as net.AddressInfo).port}/feed.xml`;
    const deadUrl = `http://127.0.0.1:${await closedPort()}/feed.xml`;

    // Posts already waiting for two channels, so the outbox meets Telegram's failures too.
    const database = path.join(makeTempDir(), 'db.sqlite');
    const store = createSqliteStore(database);
    for (const url of [siteUrl, deadUrl]) await store.addSource({ url, feedUrl: url, title: url });
    const sourceId = (await store.listSources())[0]!.id;
    for (const chatId of [-1001, -1002]) {
      await store.upsertChat({ id: chatId, kind: 'channel', title: `c${chatId}`, username: null });
      await store.subscribe(chatId, 'all', 1);
    }
    await recordAndQueuePosts(store, sourceId, ['1', '2', '3'].map((key) => ({ key, headline: `خبر ${key}`, link: `https://example.com/${key}`, publishedAt: null, searchTitle: key, searchBody: '' })));
    await store.close();

    const bot = new BotProcess({
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: `sqlite:${database}`,
      HTTP_PORT: '0',
      LOG_LEVEL: 'trace',
      POLL_CRON: '* * * * * *',
      FETCH_ALLOW_HOSTS: '127.0.0.1',
      SOURCES: `${siteUrl},${deadUrl}`,
      BOT_ADMINS: '1',
      WORKER_THREADS: '1',
    });
    bots.push(bot);

    await bot.waitForLog((line) => line.msg === 'listening for updates (long polling)', 30_000);
    await waitUntil(() => telegram.count('getUpdates') >= 5, 'every getUpdates failure has been met', 20_000);
    await waitUntil(() => telegram.count('sendMessage') >= 5, 'every sendMessage failure has been met', 20_000);
    await waitUntil(() => siteHits >= 1, 'the failing source has been polled', 10_000);
    // Closing the port cuts the hung calls; every call after that is refused.
    await telegram.close();
    await bot.waitForLog((line) => line.msg === 'getUpdates failed; retrying' && line.code === 'ECONNREFUSED', 20_000);

    const { code } = await bot.stop('SIGTERM');
    expect(code).toBe(0);
    const output = written(bot);
    expect(bot.count('stopped')).toBe(1);
    // The failures were really met and written about...
    expect(bot.logs.filter((line) => line.msg === 'getUpdates failed; retrying').length).toBeGreaterThanOrEqual(3);
    expect(bot.logs.some((line) => line.msg === 'cannot reach Telegram yet; retrying')).toBe(true);
    expect(bot.logs.some((line) => /will retry|slow down/.test(String(line.msg)))).toBe(true);
    // ...and the token, or its secret part alone, appears nowhere.
    expect(output).not.toContain(token);
    expect(output).not.toContain(secret);
    expect(output).not.toContain(secret.slice(0, 16));
  });

  it('is written nowhere while Telegram refuses every connection from the start', { timeout: 30_000 }, async () => {
    const bot = new BotProcess({
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${await closedPort()}`,
      DATABASE_URL: `sqlite:${path.join(makeTempDir(), 'db.sqlite')}`,
      HTTP_PORT: '0',
      LOG_LEVEL: 'trace',
    });
    bots.push(bot);
    await bot.waitForLog((line) => line.msg === 'cannot reach Telegram yet; retrying' && line.attempt === 2, 15_000);
    const { code } = await bot.stop('SIGTERM');
    expect(code).toBe(0);
    const output = written(bot);
    expect(output).toContain('cannot reach Telegram yet');
    expect(output).not.toContain(token);
    expect(output).not.toContain(secret);
  });
});
