import path from 'node:path';
import { Api } from 'grammy';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createI18n } from '../../src/bot/create-i18n.js';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/delivery-worker.js';
import { recordAndQueuePosts } from '../../src/pipeline/record-items.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { ChatSettings, NewItem, Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { FakeTelegram } from '../helpers/fake-telegram.js';
import { waitUntil } from '../helpers/wait-until.js';

const token = '42:styles-test';
const channel = -1001;

function item(key: string, extra: Partial<NewItem> = {}): NewItem {
  return {
    key,
    headline: `خبر ${key}`,
    link: `https://example.com/${key}`,
    publishedAt: null,
    searchTitle: key,
    searchBody: '',
    summary: `ملخص الخبر ${key}.`,
    imageUrl: `https://img.example.com/${key}.jpg`,
    ...extra,
  };
}

describe('posts in each chat’s style, and digests (delivery worker)', () => {
  let telegram: FakeTelegram;
  let store: Store;
  let worker: DeliveryWorker;
  let sourceId: number;
  const i18n = createI18n('ar');

  const calls = (method: string) => telegram.callsOf(method, channel);

  async function chatWith(settings: Partial<ChatSettings>) {
    await store.upsertChat({ id: channel, kind: 'channel', title: 'C', username: null });
    await store.subscribe(channel, 'all', 1);
    await store.updateChatSettings(channel, settings);
  }

  /** Queues items as a poll does (the planner decides); digests fall due `dueInMs` from now. */
  async function publish(items: NewItem[], dueInMs = 0) {
    await recordAndQueuePosts(store, sourceId, items, { periodEnd: () => new Date(Date.now() + dueInMs) });
    worker.notify();
  }

  beforeEach(async () => {
    telegram = await new FakeTelegram(token, { checkMessages: true }).start();
    store = createSqliteStore(path.join(makeTempDir(), 'd.sqlite'));
    sourceId = (await store.addSource({ url: 'u', feedUrl: 'u', title: 'عنب بلدي' })).source.id;
    const api = new Api(token, { apiRoot: telegram.apiRoot });
    worker = createDeliveryWorker({
      store,
      sendMessage: (chatId, text, other) => api.sendMessage(chatId, text, other),
      sendPhoto: (chatId, photo, other) => api.sendPhoto(chatId, photo, other),
      translate: (language, id, params) => i18n.t(language ?? 'ar', id, params),
      logger: pino({ level: 'silent' }),
      idleMs: 100,
    });
    worker.start();
  });

  afterEach(async () => {
    await worker.stop();
    await store.close();
    await telegram.close();
  });

  it('posts the headline and the link with Telegram’s link preview and a notification, by default', async () => {
    await chatWith({});
    await publish([item('1')]);
    const call = await telegram.waitForCall((c) => c.method === 'sendMessage');
    expect(call.params.text).toBe('<b>خبر 1</b>\n<a href="https://example.com/1">https://example.com/1</a>');
    expect(call.params.link_preview_options).toBeUndefined();
    expect(call.params.disable_notification).toBeUndefined();
    expect(calls('sendPhoto')).toEqual([]);
  });

  it('posts the summary style: headline, summary, link', async () => {
    await chatWith({ style: 'summary' });
    await publish([item('1')]);
    const call = await telegram.waitForCall((c) => c.method === 'sendMessage');
    expect(call.params.text).toBe('<b>خبر 1</b>\nملخص الخبر 1.\n<a href="https://example.com/1">https://example.com/1</a>');
  });

  it('turns the link preview off and posts silently when the chat asks', async () => {
    await chatWith({ linkPreview: false, silent: true });
    await publish([item('1')]);
    const call = await telegram.waitForCall((c) => c.method === 'sendMessage');
    expect(call.params.link_preview_options).toEqual({ is_disabled: true });
    expect(call.params.disable_notification).toBe(true);
  });

  it('posts the photo style as the item’s picture with the headline and link as caption, silently when asked', async () => {
    await chatWith({ style: 'photo', silent: true });
    await publish([item('1')]);
    await waitUntil(async () => (await store.countDeliveries()).sent === 1, 'the photo post is recorded as sent');
    const [call] = calls('sendPhoto');
    expect(call!.params).toMatchObject({
      photo: 'https://img.example.com/1.jpg',
      caption: '<b>خبر 1</b>\n<a href="https://example.com/1">https://example.com/1</a>',
      parse_mode: 'HTML',
      disable_notification: true,
    });
    expect(calls('sendMessage')).toEqual([]);
  });

  it('sends the text post instead when Telegram refuses the picture, once, and records it sent', async () => {
    await chatWith({ style: 'photo' });
    telegram.refusePhoto('https://img.example.com/1.jpg');
    await publish([item('1'), item('2')]);
    await waitUntil(async () => (await store.countDeliveries()).sent === 2, 'both posts are recorded as sent');
    expect(calls('sendPhoto').map((c) => c.params.photo)).toEqual(['https://img.example.com/1.jpg', 'https://img.example.com/2.jpg']);
    expect(calls('sendMessage').map((c) => c.params.text)).toEqual(['<b>خبر 1</b>\n<a href="https://example.com/1">https://example.com/1</a>']);
  });

  it('posts an item without a picture as text in the photo style', async () => {
    await chatWith({ style: 'photo' });
    await publish([item('1', { imageUrl: null })]);
    await telegram.waitForCall((c) => c.method === 'sendMessage');
    expect(calls('sendPhoto')).toEqual([]);
  });

  it('sends a digest chat nothing before the period ends, then one message listing the headlines, linked, in the chat’s language', async () => {
    await chatWith({ digest: 'hourly', language: 'en' });
    await publish([item('1'), item('2'), item('3', { headline: 'Tom & <Jerry>' })], 800);
    await waitUntil(async () => (await store.countDeliveries()).pending === 3, 'three digest rows wait');
    expect(calls('sendMessage')).toEqual([]);
    const call = await telegram.waitForCall((c) => c.method === 'sendMessage', 5000);
    expect(call.params.text).toBe(
      [
        '<b>📰 Digest: 3 headlines</b>',
        '',
        '• <a href="https://example.com/1">خبر 1</a> — عنب بلدي',
        '• <a href="https://example.com/2">خبر 2</a> — عنب بلدي',
        '• <a href="https://example.com/3">Tom &amp; &lt;Jerry&gt;</a> — عنب بلدي',
      ].join('\n'),
    );
    expect(call.params.link_preview_options).toEqual({ is_disabled: true });
    await waitUntil(async () => (await store.countDeliveries()).sent === 3, 'every row of the digest is recorded as sent');
    expect(calls('sendMessage')).toHaveLength(1);
  });

  it('heads a digest in Arabic for an Arabic chat', async () => {
    await chatWith({ digest: 'daily', language: 'ar' });
    await publish([item('1'), item('2'), item('3')], 300);
    const call = await telegram.waitForCall((c) => c.method === 'sendMessage', 5000);
    expect(String(call.params.text).split('\n')[0]).toBe('<b>📰 موجز: 3 أخبار</b>');
  });

  it('splits a long digest into several messages Telegram accepts, each headline once, every row sent', async () => {
    await chatWith({ digest: 'hourly' });
    const items = Array.from({ length: 40 }, (_, n) => item(`n${n}`, { headline: `${'عنوان طويل جدا '.repeat(16)}${n}` }));
    await publish(items, 300);
    await waitUntil(async () => (await store.countDeliveries()).sent === 40, 'all forty rows are recorded as sent', 8000);
    const texts = calls('sendMessage').map((c) => String(c.params.text));
    expect(texts.length).toBeGreaterThan(1);
    const listed = texts.flatMap((text) => [...text.matchAll(/ (\d+)<\/a>/g)].map((match) => Number(match[1])));
    expect(listed).toEqual(items.map((_, n) => n));
  });

  it('resends only the part of a digest that Telegram did not take', async () => {
    await chatWith({ digest: 'hourly' });
    const items = Array.from({ length: 40 }, (_, n) => item(`n${n}`, { headline: `${'عنوان طويل جدا '.repeat(16)}${n}` }));
    // The first message goes through, the second meets a server error.
    telegram.answerNext('sendMessage', () => undefined);
    telegram.answerNext('sendMessage', () => ({ ok: false, error_code: 500, description: 'Internal Server Error' }));
    await publish(items, 300);
    await waitUntil(async () => (await store.countDeliveries()).sent === 40, 'all forty rows are recorded as sent', 10_000);
    const accepted = calls('sendMessage').filter((c) => c.result !== undefined);
    expect(accepted.length).toBeGreaterThan(1);
    expect(calls('sendMessage')).toHaveLength(accepted.length + 1);
    const listed = accepted.flatMap((c) => [...String(c.params.text).matchAll(/ (\d+)<\/a>/g)].map((match) => Number(match[1])));
    expect(listed).toEqual(items.map((_, n) => n));
  });

  it('sends a burst’s excess as one digest after the posts that fit', async () => {
    await chatWith({ burstLimit: 2 });
    await publish([item('1'), item('2'), item('3'), item('4')], 300);
    await waitUntil(async () => (await store.countDeliveries()).sent === 4, 'two posts and a two-line digest are recorded as sent');
    const texts = calls('sendMessage').map((c) => String(c.params.text));
    expect(texts).toHaveLength(3);
    expect(texts[2]).toContain('خبر 3');
    expect(texts[2]).toContain('خبر 4');
    expect(texts[2]!.startsWith('<b>📰 موجز: خبران</b>')).toBe(true);
  });
});
