import type { Transformer } from 'grammy';
import type { ChatKind } from '../store/store.js';

/**
 * Turns for message sends under Telegram's flood limits. The app passes the outbox's own pacer
 * (delivery/send-pacer.ts), so replies and posts together stay under the limits instead of each
 * spending them whole.
 */
export interface SendSlots {
  /** Milliseconds until any send may start (0: now). */
  globalWaitMs(now: number): number;
  /** Milliseconds until a send to this chat may start (0: now). */
  chatWaitMs(chatId: number, kind: ChatKind, now: number): number;
  /** A send starts now, overall and (unless null) in its chat's window. */
  recordStart(chatId: number | null, now: number): void;
  /** How many replies wait for an overall turn only: the outbox lets them go before its posts. */
  setRepliesWaiting?(count: number): void;
}

/**
 * Turns from the budget every process shares (several replicas on one PostgreSQL store: delivery's
 * SharedSendPacer): true at the moment a send may start, false when no turn came in time.
 */
export interface SharedTurns {
  waitForTurn(chatId: number, kind: ChatKind): Promise<boolean>;
}

/** The calls that put a new message in a chat: Telegram counts these against its flood limits. */
const messageSends = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendVideo',
  'sendAnimation',
  'sendAudio',
  'sendVoice',
  'sendMediaGroup',
  'sendSticker',
  'copyMessage',
  'forwardMessage',
]);

/**
 * The chat whose window a reply counts in: a group or channel (20 messages a minute); null for a
 * private chat (or a chat named by @username), which counts overall only: Telegram allows a private
 * chat short bursts, and an answer of several parts must not take a second per part.
 */
function pacedChat(chatId: unknown): { id: number; kind: ChatKind } | null {
  return typeof chatId === 'number' && chatId < 0 ? { id: chatId, kind: 'channel' } : null;
}

interface Waiter {
  chat: { id: number; kind: ChatKind } | null;
  go: () => void;
}

/**
 * Sends waiting for their turn, let go one at a time as the limits allow, the oldest first among
 * those whose chat has room. Each is let go when its turn comes by the clock, not booked ahead: a
 * main thread busy for a while (300 commands handled at once) would otherwise find many booked
 * turns in the past and let them all go in one burst.
 */
class Turnstile {
  private readonly waiting: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly slots: SendSlots) {}

  wait(chat: Waiter['chat'], signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        chat,
        go: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at !== -1) this.waiting.splice(at, 1);
        reject(signal!.reason);
        this.pump();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.pump();
    });
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    for (;;) {
      if (this.waiting.length === 0) return this.slots.setRepliesWaiting?.(0);
      const now = Date.now();
      const chatReady = (waiter: Waiter) => !waiter.chat || this.slots.chatWaitMs(waiter.chat.id, waiter.chat.kind, now) === 0;
      const globalWait = this.slots.globalWaitMs(now);
      if (globalWait > 0) {
        // Replies whose chat has room wait for an overall turn only: posts let them have the next one.
        this.slots.setRepliesWaiting?.(this.waiting.filter(chatReady).length);
        return this.later(globalWait);
      }
      let soonest = Infinity;
      const next = this.waiting.findIndex((waiter) => {
        const wait = waiter.chat ? this.slots.chatWaitMs(waiter.chat.id, waiter.chat.kind, now) : 0;
        soonest = Math.min(soonest, wait);
        return wait === 0;
      });
      if (next === -1) {
        this.slots.setRepliesWaiting?.(0);
        return this.later(soonest);
      }
      const [waiter] = this.waiting.splice(next, 1);
      this.slots.recordStart(waiter!.chat?.id ?? null, now);
      waiter!.go();
    }
  }

  private later(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, Math.max(1, ms));
  }
}

/**
 * An API transformer that holds each message send until its turn (issue 13: 300 channels sending
 * /subscribe at once lost 207 confirmations to 429). Install it before auto-retry, so that a send
 * retried after a 429 waits for a new turn too. A send aborted while it waits is not made.
 */
export function paceReplies(slots: SendSlots, shared?: SharedTurns): Transformer {
  const turnstile = new Turnstile(slots);
  return async (prev, method, payload, signal) => {
    if (messageSends.has(method)) {
      const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
      const chat = pacedChat(chatId);
      // grammY types the signal with the abort-controller package's AbortSignal; at run time it is Node's.
      await turnstile.wait(chat, signal as unknown as AbortSignal | undefined);
      // Replicas: a reply also takes a slot of the overall budget all of them share, so replies and
      // every replica's posts together stay under the limit. No slot in time (the database slow or
      // gone): the reply goes anyway, and auto-retry handles a 429.
      if (shared && typeof chatId === 'number') await shared.waitForTurn(chatId, chat?.kind ?? 'private');
    }
    return prev(method, payload, signal);
  };
}
