import { Bot, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotContext } from '../../src/bot/context.js';
import { handledUpdates, startWebhook } from '../../src/bot/run-updates.js';
import { FakeTelegram } from '../helpers/fake-telegram.js';
import { waitUntil } from '../helpers/wait-until.js';

const token = '4242:webhook-loop-token';
const logger = pino({ level: 'silent' });

/** A bot whose handler for each update waits until the test lets it finish. */
function gatedBot(telegram: FakeTelegram) {
  const bot = new Bot<Context>(token, {
    // getMe's answer, as the app has it from identifyBot before the loop starts.
    botInfo: { ...telegram.botUser, can_join_groups: true } as unknown as UserFromGetMe,
    client: { apiRoot: telegram.apiRoot },
  });
  const started: number[] = [];
  const finished: number[] = [];
  const gates = new Map<number, () => void>();
  bot.use(async (ctx) => {
    const id = ctx.update.update_id;
    started.push(id);
    await new Promise<void>((resolve) => gates.set(id, resolve));
    if (id === 13) throw new Error('handler failed on purpose');
    finished.push(id);
  });
  const caught: string[] = [];
  bot.catch((err) => void caught.push(String((err.error as Error).message)));
  const release = (id: number) => gates.get(id)?.();
  return { bot: bot as unknown as Bot<BotContext>, started, finished, release, caught };
}

describe('webhook mode', () => {
  let telegram: FakeTelegram;
  beforeEach(async () => {
    telegram = await new FakeTelegram(token).start();
  });
  afterEach(async () => {
    await telegram.close();
  });

  it('sets the webhook with its secret token and the update kinds long polling asks for', async () => {
    const { bot } = gatedBot(telegram);
    const loop = await startWebhook(bot, { url: 'https://bot.example.com/tg/updates', secret: 'the_secret-1', logger });
    const [call] = telegram.callsOf('setWebhook');
    expect(call?.params).toMatchObject({ url: 'https://bot.example.com/tg/updates', secret_token: 'the_secret-1', allowed_updates: [...handledUpdates] });
    expect(loop.isRunning()).toBe(true);
    await loop.stop();
  });

  it('handles updates off the request path, a bounded number at once, and turns away what does not fit', async () => {
    const { bot, started, finished, release } = gatedBot(telegram);
    const loop = await startWebhook(bot, { url: 'https://bot.example.com/tg', secret: 'secret', logger, concurrency: 2, maxPending: 3 });
    // accept() returns before any handler has finished.
    expect(loop.accept({ update_id: 1 })).toBe('queued');
    expect(loop.accept({ update_id: 2 })).toBe('queued');
    expect(loop.accept({ update_id: 3 })).toBe('queued');
    expect(loop.accept({ update_id: 4 })).toBe('full');
    await waitUntil(() => started.length === 2, 'two handlers run');
    expect(started).toEqual([1, 2]);
    release(1);
    await waitUntil(() => started.length === 3, 'the queued update starts once a slot frees up');
    expect(loop.accept({ update_id: 5 })).toBe('queued');
    release(2);
    release(3);
    await waitUntil(() => started.includes(5), 'the update accepted later starts');
    release(5);
    await waitUntil(() => finished.length === 4, 'every accepted update is handled');
    expect(finished.sort()).toEqual([1, 2, 3, 5]);
    await loop.stop();
  });

  it('at stop takes no more updates, finishes those it took, and leaves the webhook set', async () => {
    const { bot, started, finished, release, caught } = gatedBot(telegram);
    const loop = await startWebhook(bot, { url: 'https://bot.example.com/tg', secret: 'secret', logger, concurrency: 1 });
    loop.accept({ update_id: 11 });
    loop.accept({ update_id: 12 });
    loop.accept({ update_id: 13 });
    await waitUntil(() => started.length === 1, 'the first handler runs');
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    expect(loop.accept({ update_id: 14 })).toBe('closed');
    expect(loop.isRunning()).toBe(false);
    release(11);
    await waitUntil(() => started.length === 2, 'the second queued update starts after the stop');
    expect(stopped).toBe(false);
    release(12);
    await waitUntil(() => started.length === 3, 'the third starts');
    release(13);
    await stopping;
    expect(finished).toEqual([11, 12]);
    // A handler's error goes to bot.catch, as with long polling.
    expect(caught).toEqual(['handler failed on purpose']);
    expect(telegram.callsOf('deleteWebhook')).toHaveLength(0);
  });

  it('retries setWebhook while Telegram answers 5xx', async () => {
    const { bot } = gatedBot(telegram);
    telegram.answerNext('setWebhook', () => ({ ok: false, error_code: 502, description: 'Bad Gateway' }));
    const loop = await startWebhook(bot, { url: 'https://bot.example.com/tg', secret: 'secret', logger });
    expect(telegram.callsOf('setWebhook')).toHaveLength(2);
    await loop.stop();
  });
});
