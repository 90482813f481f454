import path from 'node:path';
import { Api } from 'grammy';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/delivery-worker.js';
import { recordAndQueuePosts } from '../../src/pipeline/record-items.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { ChatSettings, ItemCorrection, NewItem, Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { FakeTelegram } from '../helpers/fake-telegram.js';
import { waitUntil } from '../helpers/wait-until.js';

const token = '42:edits-test';
const channel = -1001;

function item(key: string, headline: string): NewItem {
  return {
    key,
    headline,
    link: `https://example.com/${key}`,
    publishedAt: null,
    searchTitle: key,
    searchBody: '',
    summary: null,
    imageUrl: `https://img.example.com/${key}.jpg`,
    titleHash: `hash ${headline}`,
  };
}

const correction = (headline: string): ItemCorrection => ({ headline, searchTitle: headline, searchBody: '', titleHash: `hash ${headline}` });

describe('editing a sent post whose headline the source corrected (delivery worker, issue 13 §4)', () => {
  let telegram: FakeTelegram;
  let store: Store;
  let worker: DeliveryWorker;
  let sourceId: number;
  let itemId: number;

  const calls = (method: string) => telegram.callsOf(method, channel);
  const deliveries = () => store.countDeliveries();

  /** A channel with these settings receives one post, sent and recorded; returns its message id. */
  async function postSent(settings: Partial<ChatSettings> = {}, headline = 'Old headline'): Promise<number> {
    await store.upsertChat({ id: channel, kind: 'channel', title: 'C', username: null });
    await store.subscribe(channel, 'all', 1);
    await store.updateChatSettings(channel, settings);
    const { newItemIds } = await recordAndQueuePosts(store, sourceId, [item('1', headline)], { periodEnd: () => new Date() });
    itemId = newItemIds[0]!;
    worker.notify();
    await waitUntil(async () => (await deliveries()).sent === 1, 'the post is recorded as sent');
    const [sent] = [...calls('sendMessage'), ...calls('sendPhoto')];
    return sent!.result.message_id as number;
  }

  async function correct(headline: string): Promise<void> {
    expect((await store.correctItem(itemId, correction(headline))).edits).toBe(1);
    worker.notify();
  }

  beforeEach(async () => {
    telegram = await new FakeTelegram(token, { checkMessages: true }).start();
    store = createSqliteStore(path.join(makeTempDir(), 'e.sqlite'));
    sourceId = (await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' })).source.id;
    const api = new Api(token, { apiRoot: telegram.apiRoot });
    worker = createDeliveryWorker({
      store,
      sendMessage: (chatId, text, other) => api.sendMessage(chatId, text, other),
      sendPhoto: (chatId, photo, other) => api.sendPhoto(chatId, photo, other),
      editMessageText: (chatId, messageId, text, other) => api.editMessageText(chatId, messageId, text, other),
      editMessageCaption: (chatId, messageId, other) => api.editMessageCaption(chatId, messageId, other),
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

  it('edits the message in place with the post as it is made now, and posts nothing new', async () => {
    const messageId = await postSent();
    await correct('Corrected headline');
    const edit = await telegram.waitForCall((call) => call.method === 'editMessageText');
    expect(edit.params).toMatchObject({ chat_id: channel, message_id: messageId, parse_mode: 'HTML' });
    expect(edit.params.text).toBe('<b>Corrected headline</b>\n<a href="https://example.com/1">https://example.com/1</a>');
    expect(edit.params.link_preview_options).toBeUndefined();
    await waitUntil(async () => (await deliveries()).sent === 1 && (await deliveries()).pending === 0, 'the edit is recorded');
    expect(telegram.messageText(channel, messageId)).toBe(edit.params.text);
    expect(calls('sendMessage')).toHaveLength(1);
  });

  it('keeps the chat’s link preview choice in the edit', async () => {
    await postSent({ linkPreview: false });
    await correct('Corrected headline');
    const edit = await telegram.waitForCall((call) => call.method === 'editMessageText');
    expect(edit.params.link_preview_options).toEqual({ is_disabled: true });
  });

  it('edits the caption of a photo post', async () => {
    const messageId = await postSent({ style: 'photo' });
    expect(calls('sendPhoto')).toHaveLength(1);
    await correct('Corrected headline');
    const edit = await telegram.waitForCall((call) => call.method === 'editMessageCaption');
    expect(edit.params).toMatchObject({ chat_id: channel, message_id: messageId, parse_mode: 'HTML' });
    expect(String(edit.params.caption)).toContain('<b>Corrected headline</b>');
    await waitUntil(async () => (await deliveries()).pending === 0 && (await deliveries()).sending === 0, 'the edit is recorded');
    expect(calls('editMessageText')).toHaveLength(0);
    expect([...calls('sendMessage'), ...calls('sendPhoto')]).toHaveLength(1);
  });

  it('edits the text of a photo-style post that went out as text (its picture was refused)', async () => {
    telegram.refusePhoto('https://img.example.com/1.jpg');
    const messageId = await postSent({ style: 'photo' });
    expect(calls('sendMessage')).toHaveLength(1);
    await correct('Corrected headline');
    const edit = await telegram.waitForCall((call) => call.method === 'editMessageText');
    expect(edit.params.message_id).toBe(messageId);
    expect(calls('editMessageCaption')).toHaveLength(1);
    await waitUntil(async () => (await deliveries()).pending === 0 && (await deliveries()).sending === 0, 'the edit is recorded');
    expect(telegram.messageText(channel, messageId)).toContain('Corrected headline');
  });

  it.each([
    ['message to edit not found', 'Bad Request: message to edit not found'],
    ["message can't be edited", "Bad Request: message can't be edited"],
  ])('gives up an edit Telegram answers "%s" for, records it, and never posts again', async (_name, description) => {
    await postSent();
    telegram.refuseEdits(description);
    await correct('Corrected headline');
    await telegram.waitForCall((call) => call.method === 'editMessageText');
    await waitUntil(async () => (await deliveries()).sent === 1 && (await deliveries()).sending === 0, 'the edit is given up');
    expect(await deliveries()).toMatchObject({ sent: 1, pending: 0, failed: 0 });
    expect(calls('editMessageText')).toHaveLength(1);
    expect(calls('sendMessage')).toHaveLength(1);
  });

  it('takes "message is not modified" as done', async () => {
    await postSent();
    telegram.answerNext('editMessageText', () => ({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    }));
    await correct('Corrected headline');
    await telegram.waitForCall((call) => call.method === 'editMessageText');
    await waitUntil(async () => (await deliveries()).sent === 1 && (await deliveries()).sending === 0, 'the edit is over');
    expect(calls('editMessageText')).toHaveLength(1);
    expect(calls('sendMessage')).toHaveLength(1);
  });

  it('waits out a 429 and retries a 5xx, then edits once', async () => {
    const messageId = await postSent();
    telegram.answerNext('editMessageText', () => ({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }));
    telegram.answerNext('editMessageText', () => ({ ok: false, error_code: 502, description: 'Bad Gateway' }));
    await correct('Corrected headline');
    await telegram.waitForCall(() => calls('editMessageText').length === 3, 8000);
    const [limited, failed] = calls('editMessageText');
    expect(failed!.at - limited!.at).toBeGreaterThanOrEqual(950);
    await waitUntil(async () => telegram.messageText(channel, messageId)?.includes('Corrected headline') === true, 'the message reads as corrected');
    await waitUntil(async () => (await deliveries()).sent === 1 && (await deliveries()).pending === 0, 'the edit is recorded');
    expect(calls('sendMessage')).toHaveLength(1);
  });

  it('gives up an edit and keeps the post when no editor is wired (never a second post)', async () => {
    await worker.stop();
    const api = new Api(token, { apiRoot: telegram.apiRoot });
    worker = createDeliveryWorker({
      store,
      sendMessage: (chatId, text, other) => api.sendMessage(chatId, text, other),
      logger: pino({ level: 'silent' }),
      idleMs: 100,
    });
    worker.start();
    await postSent();
    await correct('Corrected headline');
    await waitUntil(async () => (await deliveries()).sent === 1 && (await deliveries()).pending === 0, 'the edit is given up');
    expect(calls('sendMessage')).toHaveLength(1);
  });
});
