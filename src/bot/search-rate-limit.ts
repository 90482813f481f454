/** What to do with one search: answer it, refuse it saying why, or refuse it silently. */
export type RateDecision = 'allow' | 'warn' | 'drop';

export interface SearchRateLimiterOptions {
  /** Searches a user may make at once after a pause (default 3). */
  burst?: number;
  /** Searches a user regains per second (default 1). */
  perSecond?: number;
  /** Most users tracked at once; the least recently seen go first (default 10,000). */
  maxKeys?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
  /** The user was told to slow down since their last answered search. */
  warned: boolean;
}

/**
 * A token bucket per user: about one search a second, with small bursts. A refused search is
 * answered once per burst ('warn'), then quietly ('drop') until a search gets through again, so
 * someone hammering the bot does not get a flood of "slow down" messages (each would cost a send).
 */
export class SearchRateLimiter {
  private readonly buckets = new Map<number, Bucket>();
  private readonly burst: number;
  private readonly perSecond: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: SearchRateLimiterOptions = {}) {
    this.burst = options.burst ?? 3;
    this.perSecond = options.perSecond ?? 1;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one search from `key`'s bucket (a user id, else a chat id). */
  take(key: number): RateDecision {
    const now = this.now();
    const previous = this.buckets.get(key);
    const bucket: Bucket = previous
      ? { ...previous, tokens: Math.min(this.burst, previous.tokens + ((now - previous.at) / 1000) * this.perSecond), at: now }
      : { tokens: this.burst, at: now, warned: false };
    // Re-inserted so the map stays in order of last use and the front is the least recent.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.warned = false;
      return 'allow';
    }
    if (bucket.warned) return 'drop';
    bucket.warned = true;
    return 'warn';
  }
}
