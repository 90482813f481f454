import { afterEach, describe, expect, it } from 'vitest';
import { SharedSendPacer } from '../../src/delivery/shared-pacer.js';
import { grantSendSlots } from '../../src/store/leases.js';
import type { CoordinationStore, SendSlotGrant, SlotRequest } from '../../src/store/store.js';
import { densestWindow } from '../helpers/fake-telegram.js';

/** One send budget in memory, as several processes see the database's: every call is counted. */
function sharedBudget() {
  let nextSlot = 0;
  const calls: SlotRequest[][] = [];
  const store: Pick<CoordinationStore, 'takeSendSlots'> = {
    async takeSendSlots(requests, now, pace) {
      calls.push([...requests]);
      const grant = grantSendSlots(nextSlot, requests.length, now.getTime(), pace);
      nextSlot = grant.nextSlot;
      return { slots: grant.slots, retryInMs: grant.retryInMs };
    },
  };
  return { store, calls };
}

const limits = { globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 };

describe('turns from a send budget several processes share', () => {
  const pacers: SharedSendPacer[] = [];
  afterEach(() => {
    for (const pacer of pacers.splice(0)) pacer.close();
  });
  const make = (store: Pick<CoordinationStore, 'takeSendSlots'>, options: Partial<ConstructorParameters<typeof SharedSendPacer>[0]> = {}) => {
    const pacer = new SharedSendPacer({ store, limits, ...options });
    pacers.push(pacer);
    return pacer;
  };

  it('lets three processes together start no more than 30 sends in any second, and nearly 30', async () => {
    const { store, calls } = sharedBudget();
    const processes = [make(store), make(store), make(store)];
    const starts: number[] = [];
    // 3 x 25 sends, each process keeping 8 waiting at once, as the worker does.
    await Promise.all(
      processes.map(async (pacer, p) => {
        const sends = Array.from({ length: 25 }, (_, n) => -(p * 1000 + n));
        const waiting = new Set<Promise<void>>();
        for (const chatId of sends) {
          if (waiting.size >= 8) await Promise.race(waiting);
          const turn: Promise<void> = pacer.waitForTurn(chatId, 'channel').then((ok) => {
            if (ok) starts.push(Date.now());
            waiting.delete(turn);
          });
          waiting.add(turn);
        }
        await Promise.all(waiting);
      }),
    );
    const lost = processes.reduce((sum, pacer) => sum + pacer.lateSlots, 0);
    expect(starts.length).toBe(75);
    expect(densestWindow(starts, 1000)).toBeLessThanOrEqual(30);
    const rate = (starts.length - 1) / ((Math.max(...starts) - Math.min(...starts)) / 1000);
    expect(rate).toBeGreaterThan(30 * 0.9);
    expect(rate).toBeLessThanOrEqual(30);
    // Slots are asked for in batches, not one round trip per send.
    expect(calls.length).toBeLessThan(75 + lost);
    expect(Math.max(...calls.map((batch) => batch.length))).toBeGreaterThan(1);
  });

  it("books each chat's next turn: 3 s after a group's or channel's, 1 s after a private chat's, with a margin", async () => {
    const { store, calls } = sharedBudget();
    const pacer = make(store, { chatMarginMs: 50 });
    await Promise.all([pacer.waitForTurn(-5, 'channel'), pacer.waitForTurn(7, 'private'), pacer.waitForTurn(-6, 'supergroup')]);
    expect(calls.flat()).toEqual([
      { chatId: -5, chatGapMs: 3050 },
      { chatId: 7, chatGapMs: 1050 },
      { chatId: -6, chatGapMs: 3050 },
    ]);
  });

  it('gives up a slot the event loop reached too late and asks again, so no send starts off its slot', async () => {
    let first = true;
    const store: Pick<CoordinationStore, 'takeSendSlots'> = {
      async takeSendSlots(_requests, now): Promise<SendSlotGrant> {
        // The first grant is a slot already 100 ms gone (as if this process had been busy since).
        const slot = first ? now.getTime() - 100 : now.getTime();
        first = false;
        return { slots: [slot], retryInMs: 0 };
      },
    };
    const pacer = make(store);
    expect(await pacer.waitForTurn(-1, 'channel')).toBe(true);
    expect(pacer.lateSlots).toBe(1);
  });

  it('hands a send back (false) when no slot came within the hold time, or when closed', async () => {
    const store: Pick<CoordinationStore, 'takeSendSlots'> = {
      takeSendSlots: async () => ({ slots: [], retryInMs: 20 }),
    };
    const pacer = make(store, { holdMs: 150 });
    const started = Date.now();
    expect(await pacer.waitForTurn(-1, 'channel')).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    const waiting = pacer.waitForTurn(-2, 'channel');
    pacer.close();
    expect(await waiting).toBe(false);
    expect(await pacer.waitForTurn(-3, 'channel')).toBe(false);
  });

  it('keeps asking after the database failed to answer', async () => {
    let failures = 1;
    const store: Pick<CoordinationStore, 'takeSendSlots'> = {
      async takeSendSlots(_requests, now) {
        if (failures-- > 0) throw new Error('connection reset');
        return { slots: [now.getTime()], retryInMs: 0 };
      },
    };
    const pacer = make(store);
    expect(await pacer.waitForTurn(-1, 'channel')).toBe(true);
  });
});
