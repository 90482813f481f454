/**
 * Replies under a burst (issue 13): 300 channels send /subscribe at once to the whole app (in a child
 * process, as `src/main.ts` builds it), against the stand-in Bot API with Telegram's flood limits on
 * (30 messages a second overall, 20 a minute per group or channel, 1 a second per private chat;
 * beyond them it answers 429 with a retry_after, as Telegram does). Each channel should get its
 * confirmation once; the issue saw 207 of 300 lost to 429.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createI18n } from '../src/bot/create-i18n.js';
import { FakeTelegram, type FakeChat, type FloodLimits } from '../tests/helpers/fake-telegram.js';
import { forkBenchChild } from './bench-child.js';
import { makeTempDir, median, type Figure } from './measure.js';

const token = '42:bench-replies';
const neverCron = '0 0 1 1 *';

/** Telegram's published limits, as the stand-in enforces them. */
export const telegramFloodLimits: FloodLimits = { globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 };

interface BurstRun {
  /** Channels whose confirmation Telegram accepted. */
  confirmed: number;
  /** Confirmations Telegram accepted more than once for one channel. */
  duplicates: number;
  /** Message sends the stand-in refused with 429. */
  refused429: number;
  /** From the burst's arrival at the stand-in's getUpdates to the last confirmation it accepted (ms). */
  lastConfirmationMs: number;
  /** Updates the app logged as failed ('update failed'). */
  failedUpdates: number;
}

const channel = (c: number): FakeChat => ({ id: -1_002_000_000_000 - c, type: 'channel', title: `قناة ${c}` });

async function burstOnce(options: { channels: number; limits: FloodLimits; timeoutMs: number }): Promise<BurstRun> {
  const temp = makeTempDir('replies');
  const telegram = await new FakeTelegram(token, { floodLimits: options.limits }).start();
  const child = forkBenchChild('./app-process.ts');
  const failed = new Set<number>();
  child.onEvent((event) => {
    if (event.kind === 'log' && event.line?.msg === 'update failed' && typeof event.line.chatId === 'number') failed.add(event.line.chatId);
  });
  // Channel posts carry no language: the answer is in the default locale, and so is the error text.
  const errorText = createI18n('ar').t('ar', 'error-generic');
  let started = false;
  try {
    await child.request({
      kind: 'start',
      env: {
        BOT_TOKEN: token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        DATABASE_URL: `sqlite:${path.join(temp.dir, 'replies.sqlite')}`,
        HTTP_PORT: '0',
        POLL_CRON: neverCron,
        DEFAULT_LOCALE: 'ar',
        LOG_LEVEL: 'info',
      },
    });
    started = true;
    const chats = Array.from({ length: options.channels }, (_, c) => channel(c));
    for (const chat of chats) telegram.addChat(chat);
    const sentAt = Date.now();
    for (const chat of chats) telegram.sendText(null, chat, '/subscribe');

    const confirmations = () =>
      telegram.calls.filter(
        (call) => call.method === 'sendMessage' && call.result !== undefined && Number(call.params.chat_id) < 0 && call.params.text !== errorText,
      );
    const deadline = sentAt + options.timeoutMs;
    for (;;) {
      const confirmedChats = new Set(confirmations().map((call) => Number(call.params.chat_id)));
      const settled = chats.every((chat) => confirmedChats.has(chat.id) || failed.has(chat.id));
      if (settled || Date.now() > deadline) break;
      await sleep(100);
    }
    const accepted = confirmations();
    const confirmedChats = new Set(accepted.map((call) => Number(call.params.chat_id)));
    return {
      confirmed: confirmedChats.size,
      duplicates: accepted.length - confirmedChats.size,
      refused429: telegram.floodRefusals.length,
      lastConfirmationMs: accepted.length === 0 ? Number.NaN : Math.max(...accepted.map((call) => call.at)) - sentAt,
      failedUpdates: failed.size,
    };
  } finally {
    // A child that failed to start has exited: asking it to stop would write to a closed channel.
    if (started) await child.request({ kind: 'stop' }, 30_000).catch(() => undefined);
    await child.exit();
    await telegram.close();
    temp.remove();
  }
}

/** 300 channels send /subscribe at once: how many confirmations arrive, how many are lost to 429, and when the last one lands. */
export async function benchRepliesUnderBurst(options: { channels: number; repetitions: number; timeoutMs: number; limits?: FloodLimits }): Promise<Figure[]> {
  const limits = options.limits ?? telegramFloodLimits;
  const runs: BurstRun[] = [];
  for (let run = 0; run < options.repetitions; run++) runs.push(await burstOnce({ ...options, limits }));
  const reps = options.repetitions;
  const n = options.channels;
  const total = (pick: (run: BurstRun) => number) => runs.reduce((sum, run) => sum + pick(run), 0);
  const where = `${n} channels send /subscribe at once; stand-in Bot API answers 429 beyond ${limits.globalPerSecond}/s overall, ${limits.groupPerMinute}/min per channel`;
  const confirmed = median(runs.map((run) => run.confirmed));
  return [
    {
      name: 'replies.confirmations delivered',
      value: confirmed,
      unit: `of ${n}`,
      repetitions: reps,
      detail: where,
      baseline: { ratio: confirmed / n, meaning: 'of the channels (goal 1.00)' },
    },
    {
      name: 'replies.lost',
      value: total((run) => n - run.confirmed),
      unit: 'replies',
      repetitions: reps,
      aggregate: 'total',
      detail: `channels that never got their confirmation (must be 0); updates logged 'update failed': ${total((run) => run.failedUpdates)}`,
    },
    {
      name: 'replies.duplicates',
      value: total((run) => run.duplicates),
      unit: 'replies',
      repetitions: reps,
      aggregate: 'total',
      detail: 'a confirmation accepted twice for one channel (must be 0)',
    },
    {
      name: 'replies.429 answers',
      value: median(runs.map((run) => run.refused429)),
      unit: 'sends',
      repetitions: reps,
      detail: 'message sends the stand-in refused with 429 during the burst',
    },
    {
      name: 'replies.last confirmation',
      value: median(runs.map((run) => run.lastConfirmationMs)) / 1000,
      unit: 's',
      repetitions: reps,
      detail: `updates queued -> the last confirmation accepted; ${n} at ${limits.globalPerSecond}/s need at least ${((n - 1) / limits.globalPerSecond).toFixed(1)} s`,
    },
  ];
}
