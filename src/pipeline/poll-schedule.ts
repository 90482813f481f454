/**
 * When a source is polled next: plain decisions, table-tested, that the poll use case applies.
 *
 * POLL_CRON is the tick: a source is polled at the first tick after its `nextPollAt`. By default that
 * is the next tick; a publisher's `<ttl>`, Cache-Control max-age and Retry-After push it later (we
 * never poll more often than they allow), a bot admin may set an interval, and a source that rarely
 * publishes is polled less often. Failures back off exponentially up to a day; after
 * {@link pauseAfterFailures} in a row the source pauses until a bot admin resumes it.
 */

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/** Failures in a row after which a source pauses and the bot admins are told. */
export const pauseAfterFailures = 10;

/** The longest any server hint or backoff can push a poll back. */
export const longestDelayMs = day;

/** The first retry after a failure; doubles with each failure in a row. */
const firstRetryMs = minute;

/** A quiet source is polled at most this much less often than a lively one. */
const quietCapMs = hour;

/** A source silent for a day waits an hour (1/24 of its silence) between polls, at most {@link quietCapMs}. */
const quietRatio = 1 / 24;

/** Spread over ±10 % so sources added together (and one host's sources) drift apart. */
const jitterRatio = 0.1;

export interface SuccessHints {
  now: Date;
  /** The admin's interval, seconds. */
  intervalSeconds: number | null;
  ttlMinutes: number | null;
  maxAgeSeconds: number | null;
  /** When a poll last found something new (or when the source was added). */
  lastNewItemAt: Date | null;
  /** A number in [0, 1), Math.random in production; fixed in tests. */
  random?: number;
}

function clampDelay(ms: number): number {
  return Math.min(longestDelayMs, Math.max(0, ms));
}

function withJitter(delayMs: number, random: number): number {
  return delayMs * (1 + jitterRatio * (2 * random - 1));
}

/** The next poll after a successful one. */
export function nextPollAfterSuccess(hints: SuccessHints): Date {
  const now = hints.now.getTime();
  const silence = hints.lastNewItemAt ? Math.max(0, now - hints.lastNewItemAt.getTime()) : 0;
  const delay = Math.max(
    (hints.intervalSeconds ?? 0) * second,
    (hints.ttlMinutes ?? 0) * minute,
    (hints.maxAgeSeconds ?? 0) * second,
    Math.min(quietCapMs, silence * quietRatio),
  );
  return new Date(now + clampDelay(withJitter(delay, hints.random ?? Math.random())));
}

export interface FailureHints {
  now: Date;
  /** Failures in a row, this one included (1 for the first). */
  failures: number;
  /** What a 429 or 503 asked for, seconds. */
  retryAfterSeconds: number | null;
  random?: number;
}

/** The next poll after a failed one: exponential backoff, or what Retry-After asks if that is later. */
export function nextPollAfterFailure(hints: FailureHints): Date {
  const backoff = firstRetryMs * 2 ** Math.min(30, Math.max(0, hints.failures - 1));
  const delay = Math.max(withJitter(backoff, hints.random ?? Math.random()), (hints.retryAfterSeconds ?? 0) * second);
  return new Date(hints.now.getTime() + clampDelay(delay));
}

/** Whether this failure (the `failures`-th in a row) pauses the source. */
export function shouldPause(failures: number): boolean {
  return failures >= pauseAfterFailures;
}

/** Fewer entries than this never count as a flood: a small feed often is all new. */
const floodMinEntries = 10;
/** Share of new entries that makes a poll look like a feed churning its ids. */
const floodShare = 0.9;
/** Polls in a row that look like a flood before the bot admins are told. */
export const floodPollsToNotice = 2;

/**
 * Counts the polls in a row where nearly every entry of a feed was new: a feed that changes its
 * guids on every poll, or one that publishes its whole archive. Returns the new count.
 */
export function countFloodPolls(previous: number, newEntries: number, entries: number): number {
  const flooding = entries >= floodMinEntries && newEntries >= entries * floodShare;
  return flooding ? previous + 1 : 0;
}
