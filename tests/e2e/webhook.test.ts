import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, makeTempDir } from '../helpers/bot-process.js';
import { FakeNewsSite } from '../helpers/fake-news-site.js';
import { FakeTelegram, type FakeChat, type FakeUser } from '../helpers/fake-telegram.js';
import { waitUntil } from '../helpers/wait-until.js';

const token = '123456:TEST-token_for-webhook';
const secret = 'e2e_Webhook-secret_0123456789';
const admin: FakeUser = { id: 111, first_name: 'Admin', language_code: 'en' };
const adminChat: FakeChat = { id: admin.id, type: 'private', first_name: 'Admin' };
const channel: FakeChat = { id: -1001000000077, type: 'channel', title: 'Webhook news', username: 'webhook_news' };

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The value of one sample (`name{labels} value`) in Prometheus text; 0 when the series is absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('webhook mode, end to end', () => {
  let telegram: FakeTelegram;
  let site: FakeNewsSite;
  let bot: BotProcess;
  let base: string;
  let nextUpdateId = 1;
  let nextMessageId = 1;

  /** Posts a text message (a channel post in a channel) to nashra's webhook, as Telegram would. */
  function postText(from: FakeUser | null, chat: FakeChat, text: string, token?: string): Promise<Response> {
    const message: Record<string, unknown> = { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat, text };
    if (from) message.from = { is_bot: false, ...from };
    const command = /^\/[A-Za-z0-9_]+/.exec(text);
    if (command) message.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
    const update = { update_id: nextUpdateId++, ...(chat.type === 'channel' ? { channel_post: message } : { message }) };
    return fetch(`${base}/tg/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { 'x-telegram-bot-api-secret-token': token }) },
      body: JSON.stringify(update),
    });
  }

  const metrics = async () => (await fetch(`${base}/metrics`)).text();

  beforeAll(async () => {
    telegram = await new FakeTelegram(token).start();
    site = await new FakeNewsSite().start();
    telegram.addChat(channel);
    telegram.setMember(channel.id, admin.id, 'creator');
    telegram.setMember(channel.id, telegram.botUser.id, 'administrator', { can_post_messages: true });
    site.publish({ guid: 'before', title: 'An article already there', body: 'Stored, never posted.', pubDate: new Date(Date.now() - 3_600_000) });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = new BotProcess({
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: `sqlite:${path.join(makeTempDir(), 'nashra.sqlite')}`,
      BOT_ADMINS: String(admin.id),
      SOURCES: site.feedUrl,
      POLL_CRON: '*/2 * * * * *',
      HTTP_PORT: String(port),
      FETCH_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_URL: 'https://bot.example.com/tg/hook',
      WEBHOOK_SECRET: secret,
      LOG_LEVEL: 'info',
    });
    await bot.waitForLog((line) => line.msg === 'nashra started', 20_000);
  }, 30_000);

  afterAll(async () => {
    bot?.kill();
    await telegram?.close();
    await site?.close();
  });

  it('sets the webhook with the secret and the update kinds, and never long-polls', () => {
    const calls = telegram.callsOf('setWebhook');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.params).toMatchObject({
      url: 'https://bot.example.com/tg/hook',
      secret_token: secret,
      allowed_updates: ['message', 'channel_post', 'callback_query', 'inline_query', 'my_chat_member'],
    });
    expect(telegram.callsOf('getUpdates')).toHaveLength(0);
    expect(telegram.callsOf('deleteWebhook')).toHaveLength(0);
    expect(bot.logs.some((line) => line.msg === 'listening for updates (webhook)' && line.path === '/tg/hook')).toBe(true);
  });

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(await ready.json()).toEqual({ ok: true, checks: { database: { ok: true }, scheduler: { ok: true }, updates: { ok: true } } });
    expect(ready.status).toBe(200);
  });

  it('refuses an update without the secret token, and answers one that has it', async () => {
    expect((await postText(admin, adminChat, '/start')).status).toBe(401);
    expect((await postText(admin, adminChat, '/start', 'not-the-secret')).status).toBe(401);
    const answered = await postText(admin, adminChat, '/help', secret);
    expect(answered.status).toBe(200);
    const reply = await telegram.waitForReply(adminChat.id, 0, 10_000);
    expect(reply).toContain('/search');
    // Only the update with the secret was handled: one answer in that chat, to /help.
    expect(telegram.callsOf('sendMessage', adminChat.id)).toHaveLength(1);
    const refused = bot.logs.filter((line) => line.msg === 'webhook request refused: wrong or missing secret token');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(bot.logs)).not.toContain('not-the-secret');
    const text = await metrics();
    expect(sample(text, 'nashra_webhook_requests_total{result="unauthorized"}')).toBe(2);
    expect(sample(text, 'nashra_webhook_requests_total{result="accepted"}')).toBe(1);
  });

  it('polls, posts, and the metrics move with each poll and each send', async () => {
    await bot.waitForLog((line) => line.msg === 'sources from SOURCES read', 20_000);
    const before = channel.id;
    expect((await postText(null, channel, '/subscribe', secret)).status).toBe(200);
    await telegram.waitForReply(before, 0, 10_000);
    const first = await metrics();
    site.publish({ guid: 'fresh-1', title: 'Convoy reaches the city at dawn', body: 'A new article, posted once.' });
    await telegram.waitForCall(
      (call) => call.method === 'sendMessage' && Number(call.params.chat_id) === channel.id && String(call.params.text).includes('Convoy reaches the city'),
      20_000,
    );
    let after = '';
    await waitUntil(async () => {
      after = await metrics();
      return sample(after, 'nashra_sends_total{outcome="sent"}') > sample(first, 'nashra_sends_total{outcome="sent"}');
    }, 'the send is counted', 5000);
    expect(sample(after, 'nashra_polls_total{outcome="new-items"}')).toBeGreaterThan(sample(first, 'nashra_polls_total{outcome="new-items"}'));
    expect(sample(after, 'nashra_items_stored_total')).toBeGreaterThan(sample(first, 'nashra_items_stored_total'));
    expect(sample(after, 'nashra_fetch_duration_seconds_count{result="ok"}')).toBeGreaterThan(sample(first, 'nashra_fetch_duration_seconds_count{result="ok"}'));
    expect(sample(after, 'nashra_send_duration_seconds_count{result="sent"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'nashra_deliveries{state="sent"}')).toBeGreaterThanOrEqual(1);
    expect(after).toContain('nashra_queue_depth ');
    expect(after).toContain('nashra_event_loop_delay_seconds{quantile="p99"}');
    expect(sample(after, 'nashra_outbox_scrape_ok')).toBe(1);
  }, 40_000);

  it('writes neither the token nor the webhook secret anywhere, and stops cleanly without deleting the webhook', async () => {
    const { code, ms } = await bot.stop('SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    const written = JSON.stringify(bot.logs) + bot.stderr.join('');
    expect(written).not.toContain('webhook-secret_0123');
    expect(written).not.toContain('TEST-token_for-webhook');
    expect(telegram.callsOf('deleteWebhook')).toHaveLength(0);
  }, 15_000);
});

describe('long polling (no WEBHOOK_URL), for comparison', () => {
  it('is ready once it long-polls and serves /metrics', async () => {
    const telegram = await new FakeTelegram(token).start();
    const port = await freePort();
    const bot = new BotProcess({
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: `sqlite:${path.join(makeTempDir(), 'nashra.sqlite')}`,
      HTTP_PORT: String(port),
    });
    try {
      await bot.waitForLog((line) => line.msg === 'nashra started', 20_000);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ok: true, checks: { updates: { ok: true } } });
      expect(telegram.callsOf('setWebhook')).toHaveLength(0);
      expect(telegram.callsOf('deleteWebhook')).toHaveLength(1);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(sample(text, 'nashra_queue_depth')).toBe(0);
      expect(sample(text, 'nashra_outbox_scrape_ok')).toBe(1);
      // The webhook path does not exist in long polling.
      expect((await fetch(`http://127.0.0.1:${port}/tg/hook`, { method: 'POST', body: '{}' })).status).toBe(405);
      expect((await bot.stop('SIGTERM')).code).toBe(0);
    } finally {
      bot.kill();
      await telegram.close();
    }
  }, 30_000);
});
