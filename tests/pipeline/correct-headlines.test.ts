import path from 'node:path';
import { Api } from 'grammy';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/delivery-worker.js';
import { addSource } from '../../src/pipeline/add-source.js';
import { correctionWindowMs, findCorrectedEntries } from '../../src/pipeline/correct-headlines.js';
import { createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import { pollSource } from '../../src/pipeline/poll-source.js';
import type { PipelineDeps } from '../../src/pipeline/ports.js';
import { titleHash } from '../../src/pipeline/to-new-item.js';
import { searchArticles } from '../../src/search/search-articles.js';
import type { FeedEntry } from '../../src/sources/types.js';
import { createFetcher, readSource, type Fetcher } from '../../src/sources/index.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { KnownItem, Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { FakeTelegram } from '../helpers/fake-telegram.js';
import { FeedFarm, type FarmFeed } from '../helpers/feed-farm.js';
import { waitUntil } from '../helpers/wait-until.js';

const entry = (key: string, title: string | null): FeedEntry => ({ key, title, link: null, html: null, publishedAt: null });

describe('which entries of a poll correct a headline', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
  const known = (id: number, title: string | null, firstSeenAt: Date): KnownItem => ({ id, titleHash: titleHash(title), firstSeenAt });

  const table: Array<[string, FeedEntry, KnownItem | undefined, number[]]> = [
    ['a changed title, first seen an hour ago', entry('a', 'New'), known(1, 'Old', hoursAgo(1)), [1]],
    ['a changed title, first seen 23 h 59 min ago', entry('a', 'New'), known(1, 'Old', new Date(now.getTime() - correctionWindowMs + 60_000)), [1]],
    ['a changed title, first seen 24 h ago or more: ignored', entry('a', 'New'), known(1, 'Old', hoursAgo(24)), []],
    ['the same title', entry('a', 'Same'), known(1, 'Same', hoursAgo(1)), []],
    ['a title differing only in case is a change (raw titles are compared)', entry('a', 'new'), known(1, 'New', hoursAgo(1)), [1]],
    ['an item stored before titles were hashed', entry('a', 'New'), { id: 1, titleHash: null, firstSeenAt: hoursAgo(1) }, []],
    ['an entry that lost its title', entry('a', null), known(1, 'Old', hoursAgo(1)), []],
    ['an unknown key (a new entry, not a correction)', entry('b', 'New'), undefined, []],
  ];

  it.each(table)('%s', (_name, feedEntry, item, expected) => {
    const map = new Map<string, KnownItem>(item ? [['a', item]] : []);
    expect(findCorrectedEntries([feedEntry], map, now).map((found) => found.itemId)).toEqual(expected);
  });

  it('corrects a key listed twice in one feed once', () => {
    const map = new Map([['a', known(1, 'Old', hoursAgo(1))]]);
    expect(findCorrectedEntries([entry('a', 'New'), entry('a', 'Newer')], map, now)).toHaveLength(1);
  });
});

describe('a source correcting a headline after it was posted (issue 13 §4)', () => {
  const token = '42:corrections';
  const channel = -100;
  let farm: FeedFarm;
  let feed: FarmFeed;
  let store: Store;
  let fetcher: Fetcher;
  let telegram: FakeTelegram;
  let worker: DeliveryWorker;
  let deps: PipelineDeps;

  const calls = (method: string) => telegram.callsOf(method, channel);
  const retitle = (guid: string, title: string) => {
    feed.items.find((item) => item.guid === guid)!.title = title;
    feed.rendered = undefined;
  };
  const headlinesFound = async (words: string) => {
    const outcome = await searchArticles(store, words);
    return outcome.kind === 'results' ? outcome.items.map((found) => found.headline) : [];
  };
  const poll = async (clock?: () => Date) => pollSource({ ...deps, now: clock }, (await store.getSource(1))!);

  beforeEach(async () => {
    farm = await new FeedFarm().start();
    feed = farm.addFeed('/news.xml', { count: 2 });
    store = createSqliteStore(path.join(makeTempDir(), 'c.sqlite'));
    fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'], timeoutMs: 1500 });
    telegram = await new FakeTelegram(token, { checkMessages: true }).start();
    const api = new Api(token, { apiRoot: telegram.apiRoot });
    worker = createDeliveryWorker({
      store,
      sendMessage: (chatId, text, other) => api.sendMessage(chatId, text, other),
      editMessageText: (chatId, messageId, text, other) => api.editMessageText(chatId, messageId, text, other),
      editMessageCaption: (chatId, messageId, other) => api.editMessageCaption(chatId, messageId, other),
      logger: pino({ level: 'silent' }),
      idleMs: 100,
    });
    deps = {
      store,
      readSource: (url, options) => readSource(fetcher, url, options),
      logger: pino({ level: 'silent' }),
      cpu: createInProcessCpu(),
    };
    await store.upsertChat({ id: channel, kind: 'channel', title: 'C', username: null });
    await store.subscribe(channel, 'all', 1);
    await addSource(deps, feed.url);
    worker.start();
    // A new article is posted once.
    farm.publish(feed, { guid: 'story', title: 'وزير الخارجيه يصل إلى دمشق' });
    expect(await poll()).toMatchObject({ ok: true, newItems: 1, queuedDeliveries: 1 });
    worker.notify();
    await telegram.waitForCall(() => calls('sendMessage').length === 1);
  });

  afterEach(async () => {
    await worker.stop();
    await fetcher.close();
    await store.close();
    await telegram.close();
    await farm.close();
  });

  it('edits the sent post when the source corrects the title the same day: one edit, no second post', async () => {
    const [posted] = calls('sendMessage');
    retitle('story', 'وزير الخارجية يصل إلى دمشق في زيارة رسمية');
    const result = await poll();
    expect(result).toMatchObject({ ok: true, newItems: 0, queuedDeliveries: 0, corrected: 1, queuedEdits: 1 });
    worker.notify();
    const edit = await telegram.waitForCall((call) => call.method === 'editMessageText');
    expect(edit.params).toMatchObject({ chat_id: channel, message_id: posted!.result.message_id });
    expect(String(edit.params.text)).toContain('في زيارة رسمية');
    await waitUntil(async () => (await store.countDeliveries()).pending + (await store.countDeliveries()).sending === 0, 'the edit is recorded');
    expect(calls('sendMessage')).toHaveLength(1);
    expect(calls('editMessageText')).toHaveLength(1);
    // Search sees the corrected headline.
    expect(await headlinesFound('رسمية')).toEqual(['وزير الخارجية يصل إلى دمشق في زيارة رسمية']);
    // The next poll that parses the feed (another article came) edits nothing more.
    farm.publish(feed, { guid: 'next', title: 'خبر آخر من دمشق' });
    expect(await poll()).toMatchObject({ newItems: 1, corrected: 0, queuedEdits: 0 });
  });

  it('ignores a new title once the item was first seen 24 h ago or more: nothing recorded, nothing posted or edited', async () => {
    retitle('story', 'عنوان مختلف تماما');
    const dayLater = () => new Date(Date.now() + correctionWindowMs + 60_000);
    const result = await poll(dayLater);
    expect(result).toMatchObject({ ok: true, newItems: 0, queuedDeliveries: 0, corrected: 0, queuedEdits: 0 });
    expect(await store.countDeliveries()).toMatchObject({ pending: 0, sending: 0, sent: 1 });
    expect((await store.latestItems(1))[0]?.headline).toBe('وزير الخارجيه يصل إلى دمشق');
    expect(await headlinesFound('مختلف')).toEqual([]);
    expect(calls('editMessageText')).toHaveLength(0);
    expect(calls('sendMessage')).toHaveLength(1);
  });
});
