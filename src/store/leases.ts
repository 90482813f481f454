import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { SendPace } from './store.js';

/**
 * How long a lease lasts unless renewed. A holder renews every third of it, so a live process keeps
 * its leases through a slow fetch or send, and a crashed one's are taken over at most this long after.
 */
export const defaultLeaseMs = 15_000;

/** A process's name in the leases it takes: host and pid for a person reading the table, and random bits. */
export function makeOwnerId(): string {
  return `${os.hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * The slots one request for `count` sends gets from the budget whose next free slot is `nextSlot`
 * (generic cell rate: slots `spacingMs` apart, never before `now`, none beyond `now + horizonMs`,
 * and at least `pace.batch` of them or none). The same rule as PostgreSQL's statement, for a budget
 * kept in memory.
 */
export function grantSendSlots(
  nextSlot: number,
  count: number,
  now: number,
  pace: SendPace,
): { slots: number[]; nextSlot: number; retryInMs: number } {
  const start = Math.max(nextSlot, now);
  const fit = Math.floor((now + pace.horizonMs - start) / pace.spacingMs) + 1;
  const least = Math.max(1, Math.min(count, pace.batch ?? 1));
  const granted = fit >= least ? Math.min(count, fit) : 0;
  if (granted === 0) {
    // When the `least`-th slot from `start` comes within the horizon.
    return { slots: [], nextSlot, retryInMs: Math.max(1, Math.ceil(start + (least - 1) * pace.spacingMs - pace.horizonMs - now)) };
  }
  const slots = Array.from({ length: granted }, (_, i) => start + i * pace.spacingMs);
  return { slots, nextSlot: start + granted * pace.spacingMs, retryInMs: 0 };
}
