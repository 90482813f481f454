import type { Logger } from '../logger.js';
import type { ChatKind, CoordinationStore } from '../store/store.js';
import type { SendLimits } from './send-pacer.js';

export interface SharedSendPacerOptions {
  store: Pick<CoordinationStore, 'takeSendSlots'>;
  limits: SendLimits;
  logger?: Logger;
  /**
   * The share of Telegram's overall rate the slots use. Sends reach Telegram with some jitter (a
   * timer firing late, the network), so slots spaced exactly at the limit would now and then put 31
   * in one second: at 0.97 the 30 slots of any second span 997 ms, and a send may arrive ~30 ms
   * off its slot before a second holds 31.
   */
  rateShare?: number;
  /** Slots are granted at most this far ahead, so no process hoards the next second. Default 300 ms. */
  horizonMs?: number;
  /** A slot whose time passed longer ago than this (a busy event loop) is given up, never used late. Default 8 ms. */
  lateMs?: number;
  /** A send that got no slot within this long goes back to the queue (its lease must not run out meanwhile). Default 3 s. */
  holdMs?: number;
  /** Added to a chat's gap between two sends, so jitter never puts 21 posts in a group's minute. Default 50 ms. */
  chatMarginMs?: number;
  /** Slots are taken this many at a time (fewer when fewer sends wait): one round trip per few sends. Default 4. */
  batch?: number;
}

interface Waiter {
  chatId: number;
  chatGapMs: number;
  since: number;
  done: (ok: boolean) => void;
}

/**
 * Turns for sends when several processes share one store: each send waits for a slot from the
 * budget in the database (Telegram's 30 messages per second, for every process together), asked for
 * in batches — every send waiting in this process in one round trip — and starts at its slot's time.
 * Each granted send also books its chat's next turn (a group or channel 3 s later, a private chat
 * 1 s), so two processes never post to one chat faster than Telegram allows. The in-memory
 * SendPacer stays this process's smoother for chat windows and 429 holds; this decides the rate.
 */
export class SharedSendPacer {
  private readonly queue: Waiter[] = [];
  private asking = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Granted turns waiting for their slot's time. */
  private readonly timers = new Map<NodeJS.Timeout, Waiter>();
  private closed = false;
  private readonly spacingMs: number;
  private readonly horizonMs: number;
  private readonly lateMs: number;
  private readonly holdMs: number;
  private readonly chatMarginMs: number;
  private readonly batch: number;
  /** Slots given up because the event loop reached them too late (for tests and the bench). */
  lateSlots = 0;

  constructor(private readonly options: SharedSendPacerOptions) {
    this.spacingMs = 1000 / (options.limits.globalPerSecond * (options.rateShare ?? 0.96));
    this.horizonMs = options.horizonMs ?? 300;
    this.lateMs = options.lateMs ?? 8;
    this.holdMs = options.holdMs ?? 3000;
    this.chatMarginMs = options.chatMarginMs ?? 50;
    this.batch = options.batch ?? 4;
  }

  /** The least time between two sends to a chat of this kind. */
  chatGapMs(kind: ChatKind): number {
    const { limits } = this.options;
    const gap = kind === 'private' ? 1000 / limits.privatePerSecond : 60_000 / limits.groupPerMinute;
    return gap + this.chatMarginMs;
  }

  /**
   * Resolves true at the moment this send may start (its slot), or false when no slot came within
   * `holdMs` or the pacer was closed: the send then goes back to the queue untouched.
   */
  waitForTurn(chatId: number, kind: ChatKind): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.queue.push({ chatId, chatGapMs: this.chatGapMs(kind), since: Date.now(), done: resolve });
      this.pump();
    });
  }

  /** Turns waiting for a slot, or waiting for their slot's time. */
  get waiting(): number {
    return this.queue.length + this.timers.size;
  }

  /** Lets every waiting send go back to the queue (false) and asks for no more slots. */
  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const [timer, waiter] of this.timers) {
      clearTimeout(timer);
      waiter.done(false);
    }
    this.timers.clear();
    for (const waiter of this.queue.splice(0)) waiter.done(false);
  }

  private pump(): void {
    if (this.asking || this.retryTimer || this.closed) return;
    this.dropExpired();
    if (this.queue.length === 0) return;
    // While turns granted earlier are still to come, sends gather into a batch: asking for each
    // as it arrives would take a round trip per send.
    if (this.timers.size > 0 && this.queue.length < this.batch) return;
    this.asking = true;
    void this.ask().finally(() => {
      this.asking = false;
      this.pump();
    });
  }

  private dropExpired(): void {
    const now = Date.now();
    for (let i = 0; i < this.queue.length; ) {
      if (now - this.queue[i]!.since > this.holdMs) this.queue.splice(i, 1)[0]!.done(false);
      else i++;
    }
  }

  private async ask(): Promise<void> {
    const waiters = this.queue.slice();
    let grant;
    try {
      grant = await this.options.store.takeSendSlots(
        waiters.map(({ chatId, chatGapMs }) => ({ chatId, chatGapMs })),
        new Date(),
        { spacingMs: this.spacingMs, horizonMs: this.horizonMs, batch: this.batch },
      );
    } catch (err) {
      this.options.logger?.warn({ err }, 'could not take send slots; retrying');
      this.retryLater(1000);
      return;
    }
    if (this.closed) return;
    if (grant.slots.length === 0) {
      this.retryLater(grant.retryInMs);
      return;
    }
    grant.slots.forEach((slot, i) => {
      const waiter = waiters[i]!;
      const at = this.queue.indexOf(waiter);
      if (at !== -1) this.queue.splice(at, 1);
      this.startAt(waiter, slot);
    });
    // Sends still waiting: the budget is full up to at least our last slot, so ask when a batch
    // after it comes within the horizon, not straight away.
    if (this.queue.length > 0) {
      const least = Math.min(this.queue.length, this.batch);
      const fitsAt = grant.slots.at(-1)! + least * this.spacingMs - this.horizonMs;
      if (fitsAt > Date.now()) this.retryLater(fitsAt - Date.now());
    }
  }

  private retryLater(ms: number): void {
    // Up to half a batch of slots more, at random, so processes told the same time do not all ask at
    // once (the horizon holds several batches, so a later ask loses no slot).
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, Math.max(2, ms) + (Math.random() * this.batch * this.spacingMs) / 2);
  }

  private startAt(waiter: Waiter, slot: number): void {
    const fire = () => {
      this.timers.delete(timer);
      if (this.timers.size === 0) this.pump();
      if (this.closed) return waiter.done(false);
      if (Date.now() - slot > this.lateMs) {
        // Reached too late: starting now could crowd the next process's slot. Ask again, first in line.
        this.lateSlots += 1;
        this.queue.unshift(waiter);
        this.pump();
        return;
      }
      waiter.done(true);
    };
    const timer = setTimeout(fire, Math.max(0, slot - Date.now()));
    this.timers.set(timer, waiter);
  }
}
