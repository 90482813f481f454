import { describe, expect, it } from 'vitest';
import { SendPacer } from '../../src/delivery/send-pacer.js';

describe('the send pacer', () => {
  it('spreads sends evenly, a little under the global limit, and tells how long until the next one', () => {
    const pacer = new SendPacer({ globalPerSecond: 4, groupPerMinute: 20, privatePerSecond: 1 });
    const slot = 1000 / (4 * 0.98);
    expect(pacer.globalWaitMs(1000)).toBe(0);
    pacer.recordStart(-1, 1000);
    expect(pacer.globalRoom(1000)).toBe(0);
    expect(pacer.globalWaitMs(1100)).toBeCloseTo(slot - 100, 6);
    expect(pacer.globalWaitMs(1000 + slot)).toBe(0);
  });

  it('plans each start from the last one’s slot, so timers firing late do not slow the rate, and never exceeds the limit in any second', () => {
    const pacer = new SendPacer({ globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 });
    const starts: number[] = [];
    let now = 0;
    for (let i = 0; i < 300; i++) {
      now += pacer.globalWaitMs(now) + 2; // every timer fires 2 ms late
      expect(pacer.globalWaitMs(now)).toBe(0);
      pacer.recordStart(-i - 1, now);
      starts.push(now);
    }
    const rate = ((starts.length - 1) * 1000) / (starts.at(-1)! - starts[0]!);
    expect(rate).toBeGreaterThan(29);
    for (const at of starts) expect(starts.filter((t) => t >= at && t < at + 1000).length).toBeLessThanOrEqual(30);
    // After an idle spell, the next start is planned from now, not from a slot long gone.
    pacer.recordStart(-1000, now + 10_000);
    expect(pacer.globalWaitMs(now + 10_001)).toBeGreaterThan(30);
  });

  it('allows 20 posts a minute to one channel, and one a second to a private chat', () => {
    const pacer = new SendPacer({ globalPerSecond: 1000, groupPerMinute: 20, privatePerSecond: 1 });
    for (let i = 0; i < 20; i++) {
      expect(pacer.chatWaitMs(-100, 'channel', i * 100)).toBe(0);
      pacer.recordStart(-100, i * 100);
    }
    expect(pacer.chatWaitMs(-100, 'channel', 2000)).toBe(58_000);
    expect(pacer.chatWaitMs(-100, 'channel', 60_000)).toBe(0);

    pacer.recordStart(5, 0);
    expect(pacer.chatWaitMs(5, 'private', 300)).toBe(700);
    expect(pacer.chatWaitMs(5, 'private', 1000)).toBe(0);
  });

  it('holds back only the chat a 429 was about', () => {
    const pacer = new SendPacer({ globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 });
    pacer.blockChat(-1, 5000);
    expect(pacer.chatWaitMs(-1, 'channel', 1000)).toBe(4000);
    expect(pacer.chatWaitMs(-2, 'channel', 1000)).toBe(0);
    const busy = pacer.busyChats(1000, () => 'channel');
    expect(busy.chatIds).toEqual([-1]);
    expect(busy.firstFreeInMs).toBe(4000);
  });

  it('lets replies waiting for an overall turn go before posts, and posts again once none waits', () => {
    const pacer = new SendPacer({ globalPerSecond: 10, groupPerMinute: 20, privatePerSecond: 1 });
    const t = 1_000_000;
    pacer.recordStart(-1, t);
    const slot = pacer.globalWaitMs(t);
    expect(slot).toBeGreaterThan(100);
    expect(pacer.postWaitMs(t)).toBe(slot);
    pacer.setRepliesWaiting(2);
    // At the slot a reply takes the turn; a post looks again half a slot later.
    expect(pacer.postWaitMs(t)).toBeGreaterThan(slot);
    expect(pacer.postRoom(t + slot)).toBe(0);
    expect(pacer.globalRoom(t + slot)).toBe(1);
    pacer.setRepliesWaiting(0);
    expect(pacer.postRoom(t + slot)).toBe(1);
  });
});
