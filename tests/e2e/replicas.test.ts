import os from 'node:os';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSource } from '../../src/pipeline/add-source.js';
import { createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import { createFetcher, readSource } from '../../src/sources/index.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { Store } from '../../src/store/store.js';
import { BotProcess } from '../helpers/bot-process.js';
import { densestWindow, FakeTelegram, type RecordedCall } from '../helpers/fake-telegram.js';
import { FeedFarm, type FarmFeed } from '../helpers/feed-farm.js';
import { createScratchDatabase, postgresSuiteRuns } from '../helpers/postgres.js';
import { waitUntil } from '../helpers/wait-until.js';

const token = '123456:TEST-token_for-replicas';
const channels = Array.from({ length: 100 }, (_, n) => -1_002_000_000_000 - n);
const runs = await postgresSuiteRuns('the three-replica end-to-end test');

/** The post a call carried: `chatId guid`, read from the headline the stand-in received. */
function postKey(call: RecordedCall): string | null {
  const guid = /\bstory-[a-z0-9-]+/.exec(String(call.params.text ?? ''))?.[0];
  return guid ? `${Number(call.params.chat_id)} ${guid}` : null;
}

describe.runIf(runs)('three replicas on one PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let telegram: FakeTelegram;
  let farm: FeedFarm;
  let store: Store;
  let feeds: FarmFeed[];
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    db = await createScratchDatabase('nashra_replicas');
    // Telegram's limits on, and answers to sends a little slow, so sends are in flight when one replica dies.
    telegram = await new FakeTelegram(token, {
      floodLimits: { globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 },
      messageDelayMs: 150,
    }).start();
    farm = await new FeedFarm().start();
    for (const id of channels) telegram.addChat({ id, type: 'channel', title: `قناة ${id}` });

    // The newsroom's setup, made before the replicas start: three sources, 100 channels on all of them.
    store = await openPostgresStore(db.url, { maxConnections: 2 });
    const fetcher = createFetcher({ userAgent: 'nashra-test', allowHosts: ['127.0.0.1'] });
    const deps = { store, readSource: (url: string, options?: Parameters<typeof readSource>[2]) => readSource(fetcher, url, options), logger: pino({ level: 'silent' }), cpu: createInProcessCpu() };
    feeds = [];
    for (let f = 0; f < 3; f++) {
      const feed = farm.addFeed(`/r${f}.xml`, { count: 2 });
      await addSource(deps, feed.url);
      feeds.push(feed);
    }
    await fetcher.close();
    for (const id of channels) {
      await store.upsertChat({ id, kind: 'channel', title: `قناة ${id}`, username: null });
      await store.subscribe(id, 'all', null);
    }
  }, 60_000);

  afterAll(async () => {
    for (const bot of bots) await bot.stop().catch(() => undefined);
    await store?.close();
    await telegram?.close();
    await farm?.close();
    await db?.drop();
  }, 60_000);

  /** What the replicas said that matters, for a failure's message. */
  function diagnosis(): string {
    const lines = bots.flatMap((bot, n) =>
      bot.logs
        .filter((line) => (line.level ?? 0) >= 40 || ['poll cycle done', 'getUpdates lease taken: this process receives the updates'].includes(line.msg ?? ''))
        .slice(-15)
        .map((line) => `replica ${n}: ${JSON.stringify(line).slice(0, 400)}`),
    );
    const stderr = bots.map((bot, n) => `replica ${n} stderr: ${bot.stderr.join('').slice(-1500)}`);
    return [...lines, ...stderr, `stand-in: ${telegram.calls.length} calls, ${telegram.floodRefusals.length} refused for flood`].join('\n');
  }

  it('posts every article once per chat within Telegram’s limits, and carries on when one replica is killed', async () => {
    const env = {
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: db.url,
      POLL_CRON: '*/2 * * * * *',
      FETCH_ALLOW_HOSTS: '127.0.0.1',
      WORKER_THREADS: '1',
      LOG_LEVEL: 'info',
    };
    for (let n = 0; n < 3; n++) {
      const bot = new BotProcess({ ...env, HTTP_PORT: '0' });
      // The stand-in stamps each send as it arrives; on a loaded machine, a stand-in starved of CPU by
      // the replicas would stamp a bunch at once, as Telegram's own servers would not.
      os.setPriority(bot.pid!, 10);
      bots.push(bot);
    }
    await Promise.all(bots.map((bot) => bot.waitForLog((line) => line.msg === 'listening for updates (long polling)', 60_000)));
    const leaders = () => bots.filter((bot) => bot.count('getUpdates lease taken: this process receives the updates') > 0);
    await waitUntil(() => leaders().length === 1, 'one replica holds the getUpdates lease', 10_000);
    const leader = leaders()[0]!;
    const owners = new Set(bots.map((bot) => bot.logs.find((line) => line.msg === 'taking work as this owner')?.ownerId));
    expect(owners.size).toBe(3);

    // Two new stories on each source: 600 posts, more than a minute of Telegram's 20 per chat and
    // 30 overall can take at once.
    for (const [f, feed] of feeds.entries()) {
      for (let k = 0; k < 2; k++) farm.publish(feed, { guid: `story-${f}-${k}`, title: `story-${f}-${k} headline` });
    }
    // Posts Telegram took (a send refused with 429 is counted among the flood refusals instead).
    const sends = () => telegram.callsOf('sendMessage').filter((call) => postKey(call) !== null && !telegram.floodRefusals.includes(call));
    // What arrived, gathered from the new calls only: the stand-in shares this process, and a check
    // that kept its event loop busy would bunch the stand-in's arrival stamps.
    const arrived = new Set<string>();
    let seenCalls = 0;
    const received = () => {
      for (; seenCalls < telegram.calls.length; seenCalls++) {
        const call = telegram.calls[seenCalls]!;
        const key = call.method === 'sendMessage' ? postKey(call) : null;
        if (key) arrived.add(key);
      }
      return arrived;
    };
    await waitUntil(() => received().size >= 150, '150 posts sent', 60_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${diagnosis()}`);
    });

    // The getUpdates holder dies mid-way, its sends in flight.
    leader.kill();
    await leader.waitForExit();
    const killedAt = Date.now();
    const requestsAtKill = feeds.map((feed) => feed.requests);

    // Polls go on: a story published after the kill reaches every chat too.
    farm.publish(feeds[0]!, { guid: 'story-late-0', title: 'story-late-0 headline' });
    const expected = new Set<string>();
    for (const id of channels) {
      for (const f of [0, 1, 2]) for (const k of [0, 1]) expected.add(`${id} story-${f}-${k}`);
      expected.add(`${id} story-late-0`);
    }
    const allArrived = () => {
      const got = received();
      return [...expected].every((key) => got.has(key));
    };
    await waitUntil(allArrived, 'every post arrived', 150_000).catch((err: Error) => {
      const got = received();
      const missing = [...expected].filter((key) => !got.has(key));
      throw new Error(`${err.message}: ${missing.length} missing, e.g. ${missing.slice(0, 5).join(', ')}\n${diagnosis()}`);
    });
    expect(feeds.every((feed, f) => feed.requests > requestsAtKill[f]!)).toBe(true);

    // Another replica took getUpdates over, within seconds, and answers.
    const survivors = bots.filter((bot) => bot !== leader);
    await waitUntil(() => survivors.some((bot) => bot.count('getUpdates lease taken: this process receives the updates') > 0), 'a new getUpdates holder', 10_000);
    const successor = survivors.find((bot) => bot.count('getUpdates lease taken: this process receives the updates') > 0)!;
    const takenAt = Date.parse(String(successor.logs.find((line) => line.msg === 'getUpdates lease taken: this process receives the updates')!.time));
    expect(takenAt - killedAt).toBeLessThan(10_000);
    const reply = await telegram.ask({ id: 501, first_name: 'Reader' }, { id: 501, type: 'private', first_name: 'Reader' }, '/help');
    expect(reply.length).toBeGreaterThan(0);

    // Exactly once, but for the sends the killed replica had in flight (sent, its answer not read or
    // not yet recorded): each of those at most once more, by a survivor after the kill. The killed
    // replica had at most 8 sends in flight (its worker's concurrency).
    const byPost = new Map<string, RecordedCall[]>();
    for (const call of sends()) byPost.set(postKey(call)!, [...(byPost.get(postKey(call)!) ?? []), call]);
    const unanswered = sends().filter((call) => call.unanswered).length;
    const repeated = [...byPost].filter(([, calls]) => calls.length > 1);
    console.log(
      `replicas: ${sends().length} sends for ${expected.size} posts, ${unanswered} answers the killed replica never read, ` +
        `${repeated.length} repeated, ${telegram.floodRefusals.length} refused for flood, densest second ${densestWindow(sends().map((call) => call.at))}, ` +
        `getUpdates taken over in ${takenAt - killedAt} ms`,
    );
    for (const [key, calls] of repeated) {
      expect(calls.map((call) => call.at < killedAt), `${key} sent ${calls.length} times`).toEqual([true, false]);
    }
    expect(repeated.length).toBeLessThanOrEqual(8);
    expect(byPost.size).toBe(expected.size);
    // Each refusal with the gaps between the sends of the second before it (what bunched them).
    const arrivals = telegram.callsOf('sendMessage').map((call) => call.at).sort((x, y) => x - y);
    const refusals = telegram.floodRefusals.map((call) => {
      const before = arrivals.filter((at) => at > call.at - 1000 && at <= call.at);
      return `${call.method} ${call.params.chat_id} at ${call.at - killedAt} ms from the kill; gaps ${before.slice(1).map((at, i) => at - before[i]!).join(',')}`;
    });

    // Never over Telegram's limits (30/s overall, 20/min per channel), never two getUpdates consumers.
    expect(refusals).toEqual([]);
    expect(telegram.getUpdatesConflicts).toEqual([]);
  }, 300_000);
});
