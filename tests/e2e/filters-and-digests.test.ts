import path from 'node:path';
import { Api } from 'grammy';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createI18n } from '../../src/bot/create-i18n.js';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/delivery-worker.js';
import { addSource } from '../../src/pipeline/add-source.js';
import { createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import { pollSource } from '../../src/pipeline/poll-source.js';
import type { PipelineDeps } from '../../src/pipeline/ports.js';
import { createFetcher, readSource, type Fetcher } from '../../src/sources/index.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { FakeTelegram } from '../helpers/fake-telegram.js';
import { FeedFarm } from '../helpers/feed-farm.js';
import { waitUntil } from '../helpers/wait-until.js';

const token = '42:filters-and-digests';
const filtered = -1001; // a channel: only items about losses, with their summaries
const digest = -1002; // a group: one hourly digest
const everything = -1003; // a channel with the defaults

/**
 * Issue 13 §2 from a news site to the stand-in Bot API: a feed polled by the pipeline, the posts
 * planned per chat (filters, style, digest), drained by the delivery worker. The digest period is
 * injected (it ends 1.5 s after the poll), so the test does not wait an hour.
 */
describe('a feed’s new articles reach each chat as it asked (filters, summaries, digests)', () => {
  let farm: FeedFarm;
  let telegram: FakeTelegram;
  let store: Store;
  let fetcher: Fetcher;
  let worker: DeliveryWorker;
  let deps: PipelineDeps;

  beforeEach(async () => {
    farm = await new FeedFarm().start();
    telegram = await new FakeTelegram(token, { checkMessages: true }).start();
    store = createSqliteStore(path.join(makeTempDir(), 'nashra.sqlite'));
    fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'], timeoutMs: 2000 });
    const cpu = createInProcessCpu();
    deps = {
      store,
      readSource: (url, options) => readSource(fetcher, url, { ...options, parse: cpu.parseDocument }),
      logger: pino({ level: 'silent' }),
      cpu,
      periodEnd: (_period, now) => new Date(now.getTime() + 1500),
    };
    const api = new Api(token, { apiRoot: telegram.apiRoot });
    const i18n = createI18n('ar');
    worker = createDeliveryWorker({
      store,
      sendMessage: (chatId, text, other) => api.sendMessage(chatId, text, other),
      sendPhoto: (chatId, photo, other) => api.sendPhoto(chatId, photo, other),
      translate: (language, id, params) => i18n.t(language ?? 'ar', id, params),
      logger: pino({ level: 'silent' }),
      idleMs: 100,
    });
  });

  afterEach(async () => {
    await worker.stop();
    await fetcher.close();
    await store.close();
    await telegram.close();
    await farm.close();
  });

  it('posts only the matching articles with their summaries to the filtered channel, and one digest at the period’s end', async () => {
    const feed = farm.addFeed('/news.xml', { count: 1 });
    const { source } = await addSource(deps, feed.url);
    for (const [id, kind] of [
      [filtered, 'channel'],
      [digest, 'supergroup'],
      [everything, 'channel'],
    ] as const) {
      await store.upsertChat({ id, kind, title: `chat ${id}`, username: null });
      await store.subscribe(id, 'all', 1);
    }
    await store.updateChatSettings(filtered, { includeWords: ['خسائر'], style: 'summary' });
    await store.updateChatSettings(digest, { digest: 'hourly', language: 'en' });

    farm.publish(feed, {
      guid: 'a',
      title: 'قصف على حلب يوقع خسائر بشرية',
      body: 'قالت مصادر محلية إن القصف استهدف الأحياء الشرقية للمدينة فجر اليوم. وأضافت أن فرق الإنقاذ ما زالت تعمل في المكان.',
    });
    farm.publish(feed, {
      guid: 'b',
      title: 'مباراة كرة القدم تنتهي بالتعادل',
      body: 'انتهت المباراة بين الفريقين بالتعادل الإيجابي في ملعب المدينة. وسجل كل فريق هدفًا في الشوط الثاني.',
    });
    farm.publish(feed, {
      guid: 'c',
      title: 'أمطار غزيرة في إدلب',
      body: 'توقعت الأرصاد أن تسبب الأمطار خـ.ـسائر كبيرة في المحاصيل الزراعية هذا الأسبوع. ودعت المزارعين إلى الحذر.',
    });
    const pollStarted = Date.now();
    const polled = await pollSource(deps, (await store.getSource(source.id))!);
    expect(polled).toMatchObject({ ok: true, newItems: 3 });
    worker.start();

    await waitUntil(() => telegram.callsOf('sendMessage', everything).length === 3, 'the unfiltered channel gets all three');
    await waitUntil(() => telegram.callsOf('sendMessage', filtered).length === 2, 'the filtered channel gets its two');
    const posts = telegram.callsOf('sendMessage', filtered).map((call) => String(call.params.text));
    expect(posts[0]).toMatch(/^<b>قصف على حلب يوقع خسائر بشرية<\/b>\nقالت مصادر محلية إن القصف استهدف الأحياء الشرقية للمدينة فجر اليوم\.[^\n]*\n<a href="/);
    // The broken word in the article's text is seen through by the filter, and restored in the summary.
    expect(posts[1]).toMatch(/^<b>أمطار غزيرة في إدلب<\/b>\nتوقعت الأرصاد أن تسبب الأمطار خسائر كبيرة/);
    expect(posts.join('\n')).not.toContain('مباراة');
    expect(telegram.callsOf('sendMessage', everything).map((call) => String(call.params.text).split('\n')).every((lines) => lines.length === 2)).toBe(true);

    const digestCall = await telegram.waitForCall((call) => call.method === 'sendMessage' && Number(call.params.chat_id) === digest, 8000);
    // Not before the period's end (the poll's clock + 1.5 s).
    expect(digestCall.at - pollStarted).toBeGreaterThanOrEqual(1490);
    const lines = String(digestCall.params.text).split('\n');
    expect(lines[0]).toBe('<b>📰 Digest: 3 headlines</b>');
    expect(lines.slice(2).map((line) => />([^<]*)<\/a>/.exec(line)?.[1])).toEqual([
      'قصف على حلب يوقع خسائر بشرية',
      'مباراة كرة القدم تنتهي بالتعادل',
      'أمطار غزيرة في إدلب',
    ]);
    await waitUntil(async () => (await store.countDeliveries()).sent === 8, 'every row is recorded as sent (3 + 2 posts, 3 digest rows)');
    expect(telegram.callsOf('sendMessage', digest)).toHaveLength(1);
  });
});
