import path from 'node:path';
import type { Bot } from 'grammy';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotContext } from '../../src/bot/context.js';
import { createBot } from '../../src/bot/create-bot.js';
import { createI18n } from '../../src/bot/create-i18n.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { FakeTelegram, type FakeChat, type FakeUser } from '../helpers/fake-telegram.js';
import { recordAndQueuePosts } from '../../src/pipeline/record-items.js';

const token = '4242:status-feature-token';
const admin: FakeUser = { id: 101, first_name: 'Admin', language_code: 'en' };
const arabicAdmin: FakeUser = { id: 102, first_name: 'مشرف', language_code: 'ar' };
const stranger: FakeUser = { id: 303, first_name: 'Stranger', language_code: 'en' };
const privateChat = (user: FakeUser): FakeChat => ({ id: user.id, type: 'private', first_name: user.first_name });
const group: FakeChat = { id: -100777, type: 'supergroup', title: 'Readers' };
const hour = 3_600_000;

describe('/status, in-process against the stand-in Bot API', () => {
  let telegram: FakeTelegram;
  let store: Store;
  let bot: Bot<BotContext>;
  let updateId = 1;
  let messageId = 1;

  beforeEach(async () => {
    telegram = await new FakeTelegram(token).start();
    store = createSqliteStore(path.join(makeTempDir(), 'status.sqlite'));
    bot = createBot({
      token,
      apiRoot: telegram.apiRoot,
      logger: pino({ level: 'silent' }),
      store,
      i18n: createI18n('en'),
      botAdmins: new Set([admin.id, arabicAdmin.id]),
      addSource: () => Promise.reject(new Error('not used here')),
      status: { version: '9.8.7', startedAt: new Date(Date.now() - 3 * hour) },
    });
    await bot.init();
  });

  afterEach(async () => {
    await store.close();
    await telegram.close();
  });

  /** Hands the bot one /status message as Telegram would, and returns every reply it sent to that chat. */
  async function status(from: FakeUser, chat: FakeChat): Promise<string[]> {
    const before = telegram.callsOf('sendMessage', chat.id).length;
    const text = '/status';
    await bot.handleUpdate({
      update_id: updateId++,
      message: {
        message_id: messageId++,
        date: Math.floor(Date.now() / 1000),
        chat: chat as never,
        from: { is_bot: false, ...from },
        text,
        entities: [{ type: 'bot_command', offset: 0, length: text.length }],
      },
    });
    return telegram.callsOf('sendMessage', chat.id).slice(before).map((call) => String(call.params.text));
  }

  async function addFailingSource(title: string, failures: number, error: string, state?: 'paused' | 'retired'): Promise<number> {
    const { source } = await store.addSource({ url: `https://${title}.example/feed`, feedUrl: `https://${title}.example/feed`, title });
    for (let i = 1; i <= failures; i++) {
      await store.recordPollOutcome(source.id, { ok: false, error, state: i === failures ? state : undefined, nextPollAt: new Date(Date.now() + hour) });
    }
    return source.id;
  }

  it('tells someone who is not a bot admin that it is for the admins, and shows them nothing', async () => {
    await addFailingSource('secret', 2, 'HTTP 500');
    const [reply, ...rest] = await status(stranger, privateChat(stranger));
    expect(rest).toEqual([]);
    expect(reply).toContain('Only the bot');
    expect(reply).not.toContain('secret');
    expect(reply).not.toContain('Sources');
  });

  it('answers a bot admin in a group only by pointing to the private chat, since everyone there would read the errors', async () => {
    await addFailingSource('secret', 2, 'HTTP 500');
    const [reply] = await status(admin, group);
    expect(reply).toContain('private chat');
    expect(reply).not.toContain('secret');
  });

  it('counts sources by state and lists those failing now, most failures first, with their last error', async () => {
    const { source: healthy } = await store.addSource({ url: 'https://ok.example/feed', feedUrl: 'https://ok.example/feed', title: 'Healthy' });
    await store.recordPollOutcome(healthy.id, { ok: true, nextPollAt: new Date(Date.now() + 10 * 60_000) });
    const flaky = await addFailingSource('Flaky', 2, 'HTTP 500 <b>oops</b>');
    const down = await addFailingSource('Down', 10, 'timed out after 15 s', 'paused');
    await addFailingSource('Gone', 1, 'HTTP 410', 'retired');

    const [reply = '', ...rest] = await status(admin, privateChat(admin));
    expect(rest).toEqual([]);
    expect(reply).toContain('Sources: 2 active, 1 paused, 1 retired');
    expect(reply).toContain('2 sources are failing now:');
    const downLine = reply.indexOf(`Down (#${down}) · 10 failures in a row · timed out after 15 s`);
    const flakyLine = reply.indexOf(`Flaky (#${flaky}) · 2 failures in a row · HTTP 500 &lt;b&gt;oops&lt;/b&gt;`);
    expect(downLine).toBeGreaterThan(-1);
    expect(flakyLine).toBeGreaterThan(downLine);
    // Retired for good is not "failing now": /sources says it is gone.
    expect(reply).not.toContain('Gone');
    expect(reply).not.toContain('Healthy');
    // The earliest next poll among active sources: the healthy one in 10 minutes, not the failing one in an hour.
    expect(reply).toContain('Next poll in 10 min');
  });

  it('reports deliveries by state, the queue depth and how long the oldest post has waited, with uptime and version', async () => {
    const { source } = await store.addSource({ url: 'https://news.example/feed', feedUrl: 'https://news.example/feed', title: 'News' });
    for (const chatId of [-1001, -1002]) {
      await store.upsertChat({ id: chatId, kind: 'channel', title: `C${chatId}`, username: null });
      await store.subscribe(chatId, 'all', admin.id);
    }
    const items = ['a', 'b'].map((key) => ({ key, headline: `H ${key}`, link: `https://news.example/${key}`, publishedAt: null, searchTitle: key, searchBody: '' }));
    expect((await recordAndQueuePosts(store, source.id, items)).queuedDeliveries).toBe(4);
    const claimed = await store.claimDueDeliveries({ now: new Date(), limit: 2 });
    expect(claimed).toHaveLength(2);
    await store.markDeliverySent(claimed[0]!.id, 1);
    await store.markDeliveryFailed(claimed[1]!.id, 'Bad Request: chat not found');
    await store.claimDueDeliveries({ now: new Date(), limit: 1 });

    const [reply] = await status(admin, privateChat(admin));
    expect(reply).toContain('version 9.8.7 · up for 3 h');
    expect(reply).toContain('Deliveries: 1 pending, 1 sending, 1 sent, 1 failed, 0 paused');
    expect(reply).toMatch(/Queue: 2 waiting, the oldest for \d+ s/);
    expect(reply).toContain('No source is failing.');
  });

  it('says the queue is empty and nothing is due when there is nothing at all', async () => {
    const [reply] = await status(admin, privateChat(admin));
    expect(reply).toContain('Sources: 0 active, 0 paused, 0 retired');
    expect(reply).toContain('No active source to poll');
    expect(reply).toContain('Queue: empty');
  });

  it('stays one short message when hundreds of sources fail with long errors and titles', async () => {
    const longError = `HTTP 503 ${'x'.repeat(2000)}`;
    for (let i = 0; i < 300; i++) await addFailingSource(`${'T'.repeat(300)}${i}`, 1 + (i % 7), longError);
    const replies = await status(admin, privateChat(admin));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.length).toBeLessThan(2500);
    expect(replies[0]).toContain('300 sources are failing now:');
    expect(replies[0]).toContain('…and 292 more (see /sources).');
    expect(replies[0]).not.toContain(token);
  });

  it('answers an Arabic-speaking admin in Arabic, with Arabic plural forms', async () => {
    await addFailingSource('one', 1, 'HTTP 500');
    await addFailingSource('two', 1, 'HTTP 502');
    const [reply] = await status(arabicAdmin, privateChat(arabicAdmin));
    expect(reply).toContain('حالة نشرة');
    expect(reply).toContain('مصدران متعثران الآن:');
    expect(reply).toContain('المصادر: النشطة 2 · الموقوفة 0 · المتوقفة نهائيًا 0');
    expect(reply).toMatch(/يعمل منذ 3 /);
  });
});
