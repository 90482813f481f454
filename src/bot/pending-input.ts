import type { WordList } from './manage-data.js';

/** A word a user was asked to send for a chat's keyword filter, as their next message. */
export interface PendingWord {
  chatId: number;
  list: WordList;
}

/** How long the question stays open: long enough to type a phrase, short enough to be forgotten. */
export const pendingInputTtlMs = 5 * 60_000;

/** Most open questions kept at once; the oldest is dropped beyond it (memory stays bounded). */
const maxPending = 10_000;

/**
 * The /manage questions waiting for an answer, per user, in this process's memory. They expire
 * after {@link pendingInputTtlMs}: a message sent later is an ordinary message again (a search).
 * Lost on restart, which costs the user one button press.
 */
export class PendingInputs {
  private readonly entries = new Map<number, PendingWord & { expiresAt: number }>();

  constructor(
    private readonly ttlMs = pendingInputTtlMs,
    private readonly now: () => number = Date.now,
  ) {}

  /** Asks `userId` for a word; replaces any earlier question of theirs. */
  ask(userId: number, pending: PendingWord): void {
    this.entries.delete(userId);
    this.sweep();
    if (this.entries.size >= maxPending) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(userId, { ...pending, expiresAt: this.now() + this.ttlMs });
  }

  /** The open question of `userId`, or null (none, or expired). Does not close it. */
  peek(userId: number): PendingWord | null {
    const entry = this.entries.get(userId);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(userId);
      return null;
    }
    return { chatId: entry.chatId, list: entry.list };
  }

  /** Closes the open question of `userId`, if any. */
  clear(userId: number): void {
    this.entries.delete(userId);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops expired questions from the front (insertion order is expiry order: one TTL for all). */
  private sweep(): void {
    const now = this.now();
    for (const [userId, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(userId);
    }
  }
}
