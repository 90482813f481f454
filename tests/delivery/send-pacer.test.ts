import { describe, expect, it } from 'vitest';
import { SendPacer } from '../../src/delivery/send-pacer.js';

describe('the send pacer', () => {
  it('spreads sends evenly at the global limit and tells how long until the next one', () => {
    const pacer = new SendPacer({ globalPerSecond: 4, groupPerMinute: 20, privatePerSecond: 1 });
    expect(pacer.globalWaitMs(1000)).toBe(0);
    pacer.recordStart(-1, 1000);
    expect(pacer.globalRoom(1000)).toBe(0);
    expect(pacer.globalWaitMs(1100)).toBe(150);
    for (const [chat, at] of [[-2, 1250], [-3, 1500], [-4, 1750]] as const) {
      expect(pacer.globalWaitMs(at)).toBe(0);
      pacer.recordStart(chat, at);
    }
    // Four in the last second: the next may start when the first leaves the window.
    expect(pacer.globalWaitMs(1999)).toBe(1);
    expect(pacer.globalWaitMs(2000)).toBe(0);
    expect(pacer.globalRoom(2000)).toBe(1);
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
});
