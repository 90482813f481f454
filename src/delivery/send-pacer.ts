import type { ChatKind } from '../store/store.js';

/** Telegram's published limits, as configuration. */
export interface SendLimits {
  /** Messages per second across all chats (Telegram: about 30). */
  globalPerSecond: number;
  /** Messages per minute to one group or channel (Telegram: 20). */
  groupPerMinute: number;
  /** Messages per second to one private chat (Telegram: about 1). */
  privatePerSecond: number;
}

export const telegramLimits: SendLimits = { globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 };

/**
 * Sliding-window pacing: a send may start when fewer than the limit started inside the window,
 * both overall and for its chat. It tells when the next send may start instead of sleeping fixed delays.
 * Overall starts are also spread evenly (one every 1000/globalPerSecond ms): sends arrive at
 * Telegram with some jitter, and a burst of 30 started in one instant was seen arriving as 38 in
 * one second at the stand-in (bench: delivery.densest second).
 */
export class SendPacer {
  private readonly globalStarts: number[] = [];
  private lastGlobalStart = Number.NEGATIVE_INFINITY;
  private readonly chatStarts = new Map<number, number[]>();
  private readonly chatBlockedUntil = new Map<number, number>();

  constructor(private readonly limits: SendLimits) {}

  private window(kind: ChatKind): { size: number; windowMs: number } {
    return kind === 'private'
      ? { size: this.limits.privatePerSecond, windowMs: 1000 }
      : { size: this.limits.groupPerMinute, windowMs: 60_000 };
  }

  private static prune(starts: number[], now: number, windowMs: number): void {
    while (starts.length > 0 && starts[0]! <= now - windowMs) starts.shift();
  }

  /**
   * The even spacing of starts: 2 % wider than the limit allows, because sends reach Telegram with a
   * few milliseconds of jitter, and 30 started within a second were seen arriving as 31 (bench:
   * delivery.densest second).
   */
  private slotMs(): number {
    return 1000 / (this.limits.globalPerSecond * 0.98);
  }

  /** Milliseconds until any send may start (0 = now). */
  globalWaitMs(now: number): number {
    SendPacer.prune(this.globalStarts, now, 1000);
    const spacing = Math.max(0, this.lastGlobalStart + this.slotMs() - now);
    if (this.globalStarts.length < this.limits.globalPerSecond) return spacing;
    return Math.max(spacing, this.globalStarts[0]! + 1000 - now);
  }

  /** How many sends may start right now across all chats (0 or 1, as starts are spread evenly). */
  globalRoom(now: number): number {
    return this.globalWaitMs(now) === 0 ? 1 : 0;
  }

  /** Replies waiting for an overall turn only (their chat has room): see {@link postWaitMs}. */
  private repliesWaiting = 0;

  /** How many replies wait for an overall turn only (bot/pace-replies.ts keeps it current). */
  setRepliesWaiting(count: number): void {
    this.repliesWaiting = count;
  }

  /**
   * {@link globalWaitMs} for a post: while replies wait for an overall turn, they take the next one
   * (a person is waiting for an answer; a post can be a slot later), so a post looks again half a
   * slot after it.
   */
  postWaitMs(now: number): number {
    const wait = this.globalWaitMs(now);
    return this.repliesWaiting > 0 ? wait + this.slotMs() / 2 : wait;
  }

  /** {@link globalRoom} for posts: none while replies wait for their turn. */
  postRoom(now: number): number {
    return this.postWaitMs(now) === 0 ? 1 : 0;
  }

  /** Milliseconds until a send to this chat may start (0 = now). */
  chatWaitMs(chatId: number, kind: ChatKind, now: number): number {
    const blocked = (this.chatBlockedUntil.get(chatId) ?? 0) - now;
    const { size, windowMs } = this.window(kind);
    const starts = this.chatStarts.get(chatId);
    let wait = 0;
    if (starts) {
      SendPacer.prune(starts, now, windowMs);
      if (starts.length === 0) this.chatStarts.delete(chatId);
      else if (starts.length >= size) wait = starts[0]! + windowMs - now;
    }
    return Math.max(0, blocked, wait);
  }

  /** A send starts now: it counts overall and, unless `chatId` is null (a reply in a private chat), in its chat's window. */
  recordStart(chatId: number | null, now: number): void {
    this.globalStarts.push(now);
    // The next start is planned from this one's slot, not from when the timer actually fired: timers
    // fire a millisecond or two late, and planning from the late time lost about 5 % of the rate
    // (bench: delivery.sustained rate 0.95). A start later than a whole slot (an idle queue) plans
    // from now. The one-second window above still holds every second to the limit.
    const spacing = this.slotMs();
    const planned = this.lastGlobalStart + spacing;
    this.lastGlobalStart = now >= planned && now - planned < spacing ? planned : now;
    if (chatId === null) return;
    const starts = this.chatStarts.get(chatId) ?? [];
    starts.push(now);
    this.chatStarts.set(chatId, starts);
  }

  /** Telegram said 429 for this chat: nothing goes there until `until`. */
  blockChat(chatId: number, until: number): void {
    this.chatBlockedUntil.set(chatId, Math.max(until, this.chatBlockedUntil.get(chatId) ?? 0));
  }

  /**
   * Chats that may not receive a send right now, from those the pacer knows, and the time until the
   * first of them frees up (Infinity when none is busy).
   */
  busyChats(now: number, kindOf: (chatId: number) => ChatKind | undefined): { chatIds: number[]; firstFreeInMs: number } {
    const busy = new Map<number, number>();
    for (const [chatId, until] of this.chatBlockedUntil) {
      if (until > now) busy.set(chatId, until - now);
      else this.chatBlockedUntil.delete(chatId);
    }
    for (const chatId of [...this.chatStarts.keys()]) {
      const kind = kindOf(chatId) ?? 'channel';
      const wait = this.chatWaitMs(chatId, kind, now);
      if (wait > 0) busy.set(chatId, wait);
    }
    return { chatIds: [...busy.keys()], firstFreeInMs: Math.min(Infinity, ...busy.values()) };
  }
}
