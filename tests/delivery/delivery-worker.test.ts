import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Api } from 'grammy';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/delivery-worker.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { FakeTelegram } from '../helpers/fake-telegram.js';
import { waitUntil } from '../helpers/wait-until.js';
import { recordAndQueuePosts } from '../../src/pipeline/record-items.js';

const token = '42:delivery-test';

describe('the delivery worker', () => {
  let telegram: FakeTelegram;
  let store: Store;
  let worker: DeliveryWorker;
  let sourceId: number;

  const postsTo = (chatId: number) =>
    telegram.callsOf('sendMessage', chatId).map((call) => String(call.params.text));

  async function publish(keys: string[]) {
    await recordAndQueuePosts(store, sourceId, keys.map((key) => ({ key, headline: `خبر ${key}`, link: `https://example.com/${key}`, publishedAt: null, searchTitle: key, searchBody: '' })));
    worker.notify();
  }

  async function subscribe(chatId: number, kind: 'channel' | 'supergroup' | 'group' = 'channel') {
    await store.upsertChat({ id: chatId, kind, title: `chat ${chatId}`, username: null });
    await store.subscribe(chatId, 'all', 1);
  }

  beforeEach(async () => {
    telegram = await new FakeTelegram(token, { checkMessages: true }).start();
    store = createSqliteStore(path.join(makeTempDir(), 'd.sqlite'));
    sourceId = (await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' })).source.id;
    const api = new Api(token, { apiRoot: telegram.apiRoot });
    worker = createDeliveryWorker({
      store,
      sendMessage: (chatId, text, other) => api.sendMessage(chatId, text, other),
      logger: pino({ level: 'silent' }),
      idleMs: 100,
    });
  });

  afterEach(async () => {
    await worker.stop();
    await store.close();
    await telegram.close();
  });

  it('sends each queued post once, in order within a chat, as HTML with the escaped headline and link', async () => {
    await subscribe(-101);
    worker.start();
    await publish(['1', '2', '3']);
    await telegram.waitForCall(() => postsTo(-101).length === 3);
    expect(postsTo(-101).map((text) => /خبر (\d)/.exec(text)?.[1])).toEqual(['1', '2', '3']);
    expect(telegram.callsOf('sendMessage', -101)[0]!.params.parse_mode).toBe('HTML');
    await waitUntil(async () => (await store.countDeliveries()).sent === 3, 'all three are recorded as sent');
  });

  it('posts into the forum topic a subscription was made in, and to the chat itself otherwise', async () => {
    await store.upsertChat({ id: -300, kind: 'supergroup', title: 'Forum', username: null });
    await store.subscribe(-300, 'all', 1, { threadId: 77 });
    await subscribe(-301, 'supergroup');
    worker.start();
    await publish(['t']);
    await telegram.waitForCall(() => postsTo(-300).length === 1 && postsTo(-301).length === 1);
    expect(telegram.callsOf('sendMessage', -300)[0]!.params.message_thread_id).toBe(77);
    expect(telegram.callsOf('sendMessage', -301)[0]!.params.message_thread_id).toBeUndefined();
  });

  it('waits out a 429 for that chat, then sends the post once, while other chats go on', async () => {
    await subscribe(-101);
    await subscribe(-102);
    telegram.answerNext('sendMessage', (params) =>
      Number(params.chat_id) === -101
        ? { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }
        : undefined,
    );
    worker.start();
    await publish(['1']);
    await telegram.waitForCall(() => telegram.callsOf('sendMessage', -101).length === 2, 5000);
    const [refused, accepted] = telegram.callsOf('sendMessage', -101);
    expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(950);
    expect(postsTo(-102)).toHaveLength(1);
    await waitUntil(async () => (await store.countDeliveries()).sent === 2, 'both posts are recorded as sent');
    expect(telegram.callsOf('sendMessage', -101)).toHaveLength(2);
  });

  it('pauses a chat that answers 403 and makes no more calls to it, without stopping the others', async () => {
    await subscribe(-101);
    await subscribe(-102);
    telegram.answerNext('sendMessage', (params) =>
      Number(params.chat_id) === -101 ? { ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the channel chat' } : undefined,
    );
    worker.start();
    await publish(['1']);
    await telegram.waitForCall(() => postsTo(-102).length === 1);
    await publish(['2']);
    await telegram.waitForCall(() => postsTo(-102).length === 2);
    expect(telegram.callsOf('sendMessage', -101)).toHaveLength(1);
    expect((await store.listSubscriptions(-101))[0]?.paused).toBe(true);
  });

  it('follows a group that was upgraded to a supergroup and posts there', async () => {
    await subscribe(-5, 'group');
    telegram.answerNext('sendMessage', () => ({
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -1005 },
    }));
    worker.start();
    await publish(['1']);
    await telegram.waitForCall(() => postsTo(-1005).length === 1);
    expect((await store.listSubscriptions(-1005))).toHaveLength(1);
    expect(await store.listSubscriptions(-5)).toHaveLength(0);
  });

  it('retries a post after a server error instead of dropping it', async () => {
    await subscribe(-101);
    telegram.answerNext('sendMessage', () => ({ ok: false, error_code: 502, description: 'Bad Gateway' }));
    worker.start();
    await publish(['1']);
    await telegram.waitForCall(() => postsTo(-101).length === 2, 5000);
    await waitUntil(async () => (await store.countDeliveries()).sent === 1, 'the retried post is recorded as sent');
    expect(postsTo(-101)).toHaveLength(2);
  });

  it('sends a post Telegram cannot parse once as plain text, without parse_mode, tags stripped and entities decoded', async () => {
    await subscribe(-101);
    await recordAndQueuePosts(store, sourceId, [{ key: 'amp', headline: 'Tom & <Jerry>', link: 'https://example.com/a?b=1&c=2', publishedAt: null, searchTitle: 'amp', searchBody: '' }]);
    telegram.answerNext('sendMessage', () => ({ ok: false, error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3" }));
    worker.start();
    await waitUntil(async () => (await store.countDeliveries()).sent === 1, 'the plain-text resend is recorded as sent');
    const [html, plain] = telegram.callsOf('sendMessage', -101);
    expect(html!.params.parse_mode).toBe('HTML');
    expect(plain!.params.parse_mode).toBeUndefined();
    expect(plain!.params.text).toBe('Tom & <Jerry>\nhttps://example.com/a?b=1&c=2');
    expect(telegram.callsOf('sendMessage', -101)).toHaveLength(2);
  });

  it('marks a post failed when its plain-text resend is refused too, and goes on with the next one', async () => {
    await subscribe(-101);
    const cannotParse = () => ({ ok: false as const, error_code: 400, description: "Bad Request: can't parse entities" });
    telegram.answerNext('sendMessage', cannotParse);
    telegram.answerNext('sendMessage', cannotParse);
    worker.start();
    await publish(['1', '2']);
    await waitUntil(async () => (await store.countDeliveries()).sent === 1, 'the second post is recorded as sent');
    expect((await store.countDeliveries()).failed).toBe(1);
    expect(postsTo(-101)).toHaveLength(3);
    expect(postsTo(-101)[2]).toContain('خبر 2');
  });

  it('marks a post failed when Telegram refuses it for another reason, and goes on with the next one', async () => {
    await subscribe(-101);
    telegram.answerNext('sendMessage', () => ({ ok: false, error_code: 400, description: 'Bad Request: wrong HTTP URL specified' }));
    worker.start();
    await publish(['1', '2']);
    await waitUntil(async () => (await store.countDeliveries()).sent === 1, 'the second post is recorded as sent');
    expect((await store.countDeliveries()).failed).toBe(1);
    expect(postsTo(-101)).toHaveLength(2);
  });

  it('sends a post Telegram finds too long once more, shortened', async () => {
    await subscribe(-101);
    await recordAndQueuePosts(store, sourceId, [{ key: 'long', headline: 'ع'.repeat(900), link: `https://example.com/${'x'.repeat(300)}`, publishedAt: null, searchTitle: 'long', searchBody: '' }]);
    telegram.answerNext('sendMessage', () => ({ ok: false, error_code: 400, description: 'Bad Request: message is too long' }));
    worker.start();
    await waitUntil(async () => (await store.countDeliveries()).sent === 1, 'the shortened post is recorded as sent');
    const [first, shortened] = postsTo(-101);
    expect(shortened!.length).toBeLessThan(first!.length);
    expect(shortened).toMatch(/^<b>ع+…<\/b>\n<a href="https:\/\/example\.com\/x{300}">https:\/\/example\.com\/x+…<\/a>$/);
  });

  it('makes a post Telegram accepts from a 5,000-character link and a 5,000-character headline', async () => {
    await subscribe(-101);
    const link = `https://example.com/?q=${'a&b'.repeat(1660)}`;
    await recordAndQueuePosts(store, sourceId, [{ key: 'huge', headline: `خبر ${'طويل '.repeat(1000)}`, link, publishedAt: null, searchTitle: 'huge', searchBody: '' }]);
    worker.start();
    await waitUntil(async () => (await store.countDeliveries()).sent === 1, 'the post is recorded as sent');
    const [call] = telegram.callsOf('sendMessage', -101);
    expect(link.length).toBeGreaterThanOrEqual(5000);
    // The stand-in refuses, as Telegram does, more than 4,096 visible characters or HTML it cannot read.
    expect(call!.result).toBeDefined();
    expect(String(call!.params.text)).toContain(`href="${link.replaceAll('&', '&amp;')}"`);
    expect(telegram.callsOf('sendMessage', -101)).toHaveLength(1);
  });

  it.each([
    ['chat not found', 'Bad Request: chat not found'],
    ['missing rights', 'Bad Request: not enough rights to send text messages to the chat'],
    ['a channel that needs admin rights', 'Bad Request: need administrator rights in the channel chat'],
  ])('pauses a chat after the first %s answer, sends nothing more there, and reports it', async (_name, description) => {
    await worker.stop();
    const api = new Api(token, { apiRoot: telegram.apiRoot });
    const paused: Array<{ chatId: number; reason: string }> = [];
    worker = createDeliveryWorker({
      store,
      sendMessage: (chatId, text, other) => api.sendMessage(chatId, text, other),
      logger: pino({ level: 'silent' }),
      idleMs: 100,
      onChatPaused: (chat) => paused.push(chat),
    });
    await subscribe(-101);
    await subscribe(-102);
    telegram.answerNext('sendMessage', (params) => (Number(params.chat_id) === -101 ? { ok: false, error_code: 400, description } : undefined));
    worker.start();
    await publish(['1', '2']);
    await telegram.waitForCall(() => postsTo(-102).length === 2);
    await waitUntil(async () => (await store.countDeliveries()).paused === 2, 'both posts to the chat are paused');
    expect(telegram.callsOf('sendMessage', -101)).toHaveLength(1);
    expect(paused).toEqual([{ chatId: -101, reason: description }]);
    expect((await store.listSubscriptions(-101))[0]?.paused).toBe(true);
  });

  it('retries a post after the connection to Telegram was refused', async () => {
    await worker.stop();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadRoot = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dead = new Api(token, { apiRoot: deadRoot });
    const live = new Api(token, { apiRoot: telegram.apiRoot });
    const tried: number[] = [];
    worker = createDeliveryWorker({
      store,
      sendMessage: (chatId, text, other) => {
        tried.push(Date.now());
        return (tried.length === 1 ? dead : live).sendMessage(chatId, text, other);
      },
      logger: pino({ level: 'silent' }),
      idleMs: 100,
    });
    await subscribe(-101);
    worker.start();
    await publish(['1']);
    await waitUntil(async () => (await store.countDeliveries()).sent === 1, 'the retried post is recorded as sent');
    expect(tried).toHaveLength(2);
    expect(tried[1]! - tried[0]!).toBeGreaterThanOrEqual(900);
  });

  it('gives up on a post after the last attempt when Telegram keeps failing', async () => {
    await worker.stop();
    const api = new Api(token, { apiRoot: telegram.apiRoot });
    worker = createDeliveryWorker({
      store,
      sendMessage: (chatId, text, other) => api.sendMessage(chatId, text, other),
      logger: pino({ level: 'silent' }),
      idleMs: 100,
      maxAttempts: 2,
    });
    await subscribe(-101);
    for (let i = 0; i < 2; i++) telegram.answerNext('sendMessage', () => ({ ok: false, error_code: 500, description: 'Internal Server Error' }));
    worker.start();
    await publish(['1', '2']);
    await waitUntil(async () => (await store.countDeliveries()).sent === 1, 'the next post is recorded as sent', 8000);
    expect((await store.countDeliveries()).failed).toBe(1);
    expect(postsTo(-101)).toHaveLength(3);
  });

  it('finishes and records an in-flight send when stopped', async () => {
    await subscribe(-101);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const api = new Api(token, { apiRoot: telegram.apiRoot });
    let sendsStarted = 0;
    await worker.stop();
    worker = createDeliveryWorker({
      store,
      sendMessage: async (chatId, text, other) => {
        sendsStarted += 1;
        await gate;
        return api.sendMessage(chatId, text, other);
      },
      logger: pino({ level: 'silent' }),
      idleMs: 50,
    });
    worker.start();
    await publish(['1']);
    await waitUntil(() => sendsStarted === 1, 'the send is in flight');
    const stopping = worker.stop();
    release();
    await stopping;
    expect((await store.countDeliveries()).sent).toBe(1);
  });

  it('does not let an unanswered send hold up the stop; the post is sent again after a restart', async () => {
    await subscribe(-101);
    await worker.stop();
    worker = createDeliveryWorker({
      store,
      sendMessage: () => new Promise(() => undefined),
      logger: pino({ level: 'silent' }),
      idleMs: 50,
    });
    worker.start();
    await publish(['1']);
    await waitUntil(async () => (await store.countDeliveries()).sending === 1, 'the post is in flight');
    const started = Date.now();
    await worker.stop({ graceMs: 200 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await store.requeueInterruptedDeliveries()).toBe(1);
  });
});
