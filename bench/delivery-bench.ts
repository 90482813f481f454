import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Api } from 'grammy';
import { pino } from 'pino';
import { createDeliveryWorker } from '../src/delivery/delivery-worker.js';
import type { SendLimits } from '../src/delivery/send-pacer.js';
import { createSqliteStore } from '../src/store/sqlite/index.js';
import type { NewItem } from '../src/store/store.js';
import { densestWindow, FakeTelegram } from '../tests/helpers/fake-telegram.js';
import { makeTempDir, median, type Figure } from './measure.js';
import { recordAndQueuePosts } from '../src/pipeline/record-items.js';

const token = '42:bench-delivery';

interface DrainRun {
  /** Posts per second between the first and the last send: (posts - 1) / (last send - first send). Starts are spread evenly, so there is no opening burst to discount. */
  sustainedPerSecond: number;
  /** Posts per second from worker start until the store had every post marked sent. */
  drainPerSecond: number;
  duplicates: number;
  losses: number;
  /** Posts that reached a chat before an older post for the same chat. */
  outOfOrder: number;
  /** The most sendMessage calls the stand-in received inside any 1-second window. */
  maxInOneSecond: number;
  /** The most sendMessage calls the worker started inside any 1-second window (what its pacer counts). */
  maxStartedInOneSecond: number;
  /** warn and error lines the worker logged. */
  complaints: number;
}

async function drainOnce(options: { channels: number; items: number; limits: SendLimits; timeoutMs: number; run: number }): Promise<DrainRun> {
  const temp = makeTempDir('delivery');
  const telegram = await new FakeTelegram(token).start();
  const store = createSqliteStore(path.join(temp.dir, 'delivery.sqlite'));
  let complaints = 0;
  const logger = pino({ level: 'warn' }, { write: () => void (complaints += 1) });
  const api = new Api(token, { apiRoot: telegram.apiRoot });
  const startTimes: number[] = [];
  const worker = createDeliveryWorker({
    store,
    sendMessage: (chatId, text, other) => {
      startTimes.push(Date.now());
      return api.sendMessage(chatId, text, other);
    },
    logger,
    limits: options.limits,
  });
  try {
    const { source } = await store.addSource({ url: 'https://bench.invalid/', feedUrl: 'https://bench.invalid/feed', title: 'مصدر' });
    const chatIds = Array.from({ length: options.channels }, (_, c) => -1_001_000_000_000 - c);
    for (const chatId of chatIds) {
      telegram.addChat({ id: chatId, type: 'channel', title: `قناة ${chatId}` });
      await store.upsertChat({ id: chatId, kind: 'channel', title: `قناة ${chatId}`, username: null });
      await store.subscribe(chatId, [source.id], 1);
    }
    const items: NewItem[] = Array.from({ length: options.items }, (_, k) => ({
      key: `run-${options.run}-item-${k}`,
      headline: `خبر عاجل رقم ${k}`,
      link: `https://bench.invalid/run-${options.run}/item-${k}`,
      publishedAt: null,
      searchTitle: `خبر عاجل رقم ${k}`,
      searchBody: '',
    }));
    const expected = options.channels * options.items;
    const { queuedDeliveries } = await recordAndQueuePosts(store, source.id, items);
    if (queuedDeliveries !== expected) throw new Error(`expected ${expected} queued posts, got ${queuedDeliveries}`);

    const startedAt = Date.now();
    worker.start();
    let doneAt = 0;
    while (Date.now() - startedAt < options.timeoutMs) {
      if ((await store.countDeliveries()).sent >= expected) {
        doneAt = Date.now();
        break;
      }
      await sleep(5);
    }
    await worker.stop();
    if (doneAt === 0) doneAt = Date.now(); // timed out: the losses line will say how many never went

    const sends = telegram.callsOf('sendMessage');
    const seen = new Set<string>();
    const lastItemOfChat = new Map<number, number>();
    let duplicates = 0;
    let outOfOrder = 0;
    for (const call of sends) {
      const chatId = Number(call.params.chat_id);
      const itemIndex = items.findIndex((item) => String(call.params.text).includes(item.link!));
      const key = `${chatId} ${itemIndex}`;
      if (seen.has(key)) duplicates += 1;
      seen.add(key);
      if (itemIndex < (lastItemOfChat.get(chatId) ?? -1)) outOfOrder += 1;
      lastItemOfChat.set(chatId, itemIndex);
    }
    let losses = 0;
    for (const chatId of chatIds) {
      for (let k = 0; k < items.length; k++) if (!seen.has(`${chatId} ${k}`)) losses += 1;
    }
    const times = sends.map((call) => call.at).sort((a, b) => a - b);
    const spanSeconds = times.length > 1 ? (times.at(-1)! - times[0]!) / 1000 : Number.NaN;
    return {
      sustainedPerSecond: (sends.length - 1) / spanSeconds,
      drainPerSecond: seen.size / ((doneAt - startedAt) / 1000),
      duplicates,
      losses,
      outOfOrder,
      maxInOneSecond: densestWindow(times, 1000),
      // The pacer stamps a start with Date.now() just before this wrapper does; the stamps can
      // straddle a millisecond tick, so a window one tick shorter is what the pacer promised.
      maxStartedInOneSecond: densestWindow(startTimes, 999),
      complaints,
    };
  } finally {
    await worker.stop();
    await store.close();
    await telegram.close();
    temp.remove();
  }
}

/**
 * The outbox drained by the real worker through grammY's Api into the stand-in Bot API on
 * 127.0.0.1: how close it comes to Telegram's global limit, and whether every post arrives once.
 */
export async function benchDelivery(options: { channels: number; items: number; limits: SendLimits; repetitions: number; timeoutMs: number }): Promise<Figure[]> {
  const runs: DrainRun[] = [];
  for (let run = 0; run < options.repetitions; run++) runs.push(await drainOnce({ ...options, run }));

  const posts = options.channels * options.items;
  const ideal = options.limits.globalPerSecond;
  const reps = options.repetitions;
  const detail = `${options.channels} channels x ${options.items} items = ${posts} posts, limit ${ideal}/s`;
  const total = (pick: (run: DrainRun) => number) => runs.reduce((sum, run) => sum + pick(run), 0);
  const sustained = median(runs.map((run) => run.sustainedPerSecond));
  const drain = median(runs.map((run) => run.drainPerSecond));
  return [
    {
      name: 'delivery.sustained rate',
      value: sustained,
      unit: 'msg/s',
      repetitions: reps,
      detail: `(posts - 1) / (last send - first send); ${detail}`,
      baseline: { ratio: sustained / ideal, meaning: `of the ideal ${ideal}/s` },
    },
    {
      name: 'delivery.drain rate',
      value: drain,
      unit: 'msg/s',
      repetitions: reps,
      detail: `posts / (worker start -> all marked sent in the store); ${detail}`,
    },
    { name: 'delivery.duplicates', value: total((run) => run.duplicates), unit: 'posts', repetitions: reps, aggregate: 'total', detail: 'same item to the same chat twice (must be 0)' },
    { name: 'delivery.losses', value: total((run) => run.losses), unit: 'posts', repetitions: reps, aggregate: 'total', detail: 'queued but never received (must be 0)' },
    { name: 'delivery.out of order', value: total((run) => run.outOfOrder), unit: 'posts', repetitions: reps, aggregate: 'total', detail: 'newer item reached a chat before an older one' },
    {
      name: 'delivery.densest second',
      value: Math.max(...runs.map((run) => run.maxInOneSecond)),
      unit: 'msg',
      repetitions: reps,
      aggregate: 'max',
      detail:
        `most sendMessage calls the stand-in received within any 1 s (limit ${ideal}); ` +
        `started by the worker within any 1 s: ${Math.max(...runs.map((run) => run.maxStartedInOneSecond))}`,
    },
    { name: 'delivery.warnings logged', value: total((run) => run.complaints), unit: 'lines', repetitions: reps, aggregate: 'total', detail: 'warn/error lines from the worker' },
  ];
}
