import path from 'node:path';
import { Api } from 'grammy';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/delivery-worker.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { FakeTelegram } from '../helpers/fake-telegram.js';
import { waitUntil } from '../helpers/wait-until.js';

const token = '42:delivery-test';

describe('the delivery worker', () => {
  let telegram: FakeTelegram;
  let store: Store;
  let worker: DeliveryWorker;
  let sourceId: number;

  const postsTo = (chatId: number) =>
    telegram.callsOf('sendMessage', chatId).map((call) => String(call.params.text));

  async function publish(keys: string[]) {
    await store.recordItems(
      sourceId,
      keys.map((key) => ({ key, headline: `خبر ${key}`, link: `https://example.com/${key}`, publishedAt: null, searchTitle: key, searchBody: '' })),
      { deliver: true },
    );
    worker.notify();
  }

  async function subscribe(chatId: number, kind: 'channel' | 'supergroup' | 'group' = 'channel') {
    await store.upsertChat({ id: chatId, kind, title: `chat ${chatId}`, username: null });
    await store.subscribe(chatId, 'all', 1);
  }

  beforeEach(async () => {
    telegram = await new FakeTelegram(token).start();
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

  it('marks a post Telegram refuses as malformed failed, and goes on with the next one', async () => {
    await subscribe(-101);
    telegram.answerNext('sendMessage', () => ({ ok: false, error_code: 400, description: "Bad Request: can't parse entities" }));
    worker.start();
    await publish(['1', '2']);
    await telegram.waitForCall(() => postsTo(-101).length === 2);
    await waitUntil(async () => (await store.countDeliveries()).sent === 1, 'the second post is recorded as sent');
    expect((await store.countDeliveries()).failed).toBe(1);
  });

  it('finishes and records an in-flight send when stopped', async () => {
    await subscribe(-101);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const api = new Api(token, { apiRoot: telegram.apiRoot });
    await worker.stop();
    worker = createDeliveryWorker({
      store,
      sendMessage: async (chatId, text, other) => {
        await gate;
        return api.sendMessage(chatId, text, other);
      },
      logger: pino({ level: 'silent' }),
      idleMs: 50,
    });
    worker.start();
    await publish(['1']);
    await new Promise((resolve) => setTimeout(resolve, 200));
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
