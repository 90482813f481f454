import { describe, expect, it } from 'vitest';
import { paceReplies } from '../../src/bot/pace-replies.js';
import { SendPacer } from '../../src/delivery/send-pacer.js';

/** Calls `method` through the transformer; resolves with when the call reached the API. */
function callThrough(transformer: ReturnType<typeof paceReplies>, method: string, chatId: number | string, signal?: AbortSignal) {
  const reached: number[] = [];
  const prev = (async () => {
    reached.push(Date.now());
    return { ok: true, result: true };
  }) as unknown as Parameters<typeof transformer>[0];
  return transformer(prev, method as never, { chat_id: chatId, text: 'x' } as never, signal as never).then(() => reached[0]!);
}

describe('pacing replies under Telegram’s limits (issue 13: 207 of 300 confirmations lost to 429)', () => {
  it('lets a burst of replies to many chats through no faster than the global limit, each once', async () => {
    const transformer = paceReplies(new SendPacer({ globalPerSecond: 20, groupPerMinute: 20, privatePerSecond: 1 }));
    const started = Date.now();
    const reached = await Promise.all(Array.from({ length: 30 }, (_, i) => callThrough(transformer, 'sendMessage', -1000 - i)));
    const sorted = reached.sort((a, b) => a - b);
    // 30 at 20/s (2 % margin): the last one no sooner than 29 slots of ~51 ms after the first.
    expect(sorted.at(-1)! - started).toBeGreaterThanOrEqual(1400);
    for (const at of sorted) expect(sorted.filter((t) => t >= at && t < at + 1000).length).toBeLessThanOrEqual(20);
  });

  it('holds a group or channel to its per-minute window, and a private chat to the global limit only', async () => {
    const pacer = new SendPacer({ globalPerSecond: 1000, groupPerMinute: 2, privatePerSecond: 1 });
    const transformer = paceReplies(pacer);
    const started = Date.now();
    // Three parts of one answer in a private chat go out at once (Telegram allows short bursts there).
    const privateParts = await Promise.all([1, 2, 3].map(() => callThrough(transformer, 'sendMessage', 42)));
    // (Paced at 1 a second they would take 2 s; the bound leaves room for a loaded machine.)
    expect(Math.max(...privateParts) - started).toBeLessThan(1000);
    // A channel gets two, then the third waits for its window (a minute; not waited out here).
    await callThrough(transformer, 'sendMessage', -100);
    await callThrough(transformer, 'sendMessage', -100);
    const abort = new AbortController();
    const third = callThrough(transformer, 'sendMessage', -100, abort.signal);
    const other = await callThrough(transformer, 'sendMessage', -200);
    expect(other - started).toBeLessThan(1000);
    expect(pacer.chatWaitMs(-100, 'channel', Date.now())).toBeGreaterThan(50_000);
    abort.abort(new Error('stopped'));
    await expect(third).rejects.toThrow('stopped');
  });

  it('does not hold calls that send no message (answers to buttons, edits, getChat)', async () => {
    const pacer = new SendPacer({ globalPerSecond: 1, groupPerMinute: 1, privatePerSecond: 1 });
    const transformer = paceReplies(pacer);
    await callThrough(transformer, 'sendMessage', -1);
    const started = Date.now();
    for (const method of ['answerCallbackQuery', 'editMessageText', 'getChat', 'getChatMember']) await callThrough(transformer, method, -1);
    // Held, each would wait about a second (1 send a second).
    expect(Date.now() - started).toBeLessThan(900);
    expect(pacer.globalWaitMs(Date.now())).toBeGreaterThan(0);
  });

  it('with replicas, also waits for a turn from the budget they share, and sends anyway when none comes', async () => {
    const asked: Array<{ chatId: number; kind: string; at: number }> = [];
    let grant = true;
    const shared = {
      async waitForTurn(chatId: number, kind: 'channel' | 'private' | 'group') {
        asked.push({ chatId, kind, at: Date.now() });
        await new Promise((resolve) => setTimeout(resolve, 200));
        return grant;
      },
    };
    const transformer = paceReplies(new SendPacer({ globalPerSecond: 1000, groupPerMinute: 20, privatePerSecond: 1 }), shared);
    const started = Date.now();
    const reached = await callThrough(transformer, 'sendMessage', -300);
    // The send waited for its shared turn (200 ms here) before it reached the API.
    expect(reached - started).toBeGreaterThanOrEqual(190);
    await callThrough(transformer, 'sendMessage', 77);
    expect(asked.map(({ chatId, kind }) => [chatId, kind])).toEqual([[-300, 'channel'], [77, 'private']]);
    // No turn in time: the reply still goes.
    grant = false;
    await callThrough(transformer, 'sendMessage', 78);
    // Calls that send no message take no turn.
    await callThrough(transformer, 'answerCallbackQuery', 78);
    expect(asked).toHaveLength(3);
  });

  it('tells the outbox how many replies wait for an overall turn only, so its posts let them go first', async () => {
    const pacer = new SendPacer({ globalPerSecond: 5, groupPerMinute: 1, privatePerSecond: 1 });
    const told: number[] = [];
    const setRepliesWaiting = pacer.setRepliesWaiting.bind(pacer);
    pacer.setRepliesWaiting = (count) => {
      told.push(count);
      setRepliesWaiting(count);
    };
    const transformer = paceReplies(pacer);
    // A channel whose window is full: its reply waits for the window, not for an overall turn.
    await callThrough(transformer, 'sendMessage', -9);
    const abort = new AbortController();
    const blocked = callThrough(transformer, 'sendMessage', -9, abort.signal).catch(() => 'aborted');
    const [a, b] = [callThrough(transformer, 'sendMessage', 1), callThrough(transformer, 'sendMessage', 2)];
    // Two private replies wait for the next overall turn: posts are held back meanwhile.
    expect(told.at(-1)).toBe(2);
    expect(pacer.postWaitMs(Date.now())).toBeGreaterThan(pacer.globalWaitMs(Date.now()));
    await Promise.all([a, b]);
    // Only the channel's reply is left, waiting for its chat's window: posts go again.
    expect(told.at(-1)).toBe(0);
    abort.abort(new Error('stopped'));
    expect(await blocked).toBe('aborted');
  });
});
