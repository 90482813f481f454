import { describe, expect, it } from 'vitest';
import {
  countFloodPolls,
  nextPollAfterFailure,
  nextPollAfterSuccess,
  pauseAfterFailures,
  shouldPause,
} from '../../src/pipeline/poll-schedule.js';

const now = new Date('2026-11-26T12:00:00Z');
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
// random = 0.5 means no jitter.
const calm = { now, random: 0.5 };

function delayOf(date: Date): number {
  return date.getTime() - now.getTime();
}

describe('when a source is polled next', () => {
  it.each([
    ['at the next tick by default', { intervalSeconds: null, ttlMinutes: null, maxAgeSeconds: null, lastNewItemAt: now }, 0],
    ['no sooner than its <ttl>', { intervalSeconds: null, ttlMinutes: 30, maxAgeSeconds: null, lastNewItemAt: now }, 30 * minute],
    ['no sooner than Cache-Control max-age', { intervalSeconds: null, ttlMinutes: null, maxAgeSeconds: 600, lastNewItemAt: now }, 10 * minute],
    ['no sooner than the admin’s interval', { intervalSeconds: 900, ttlMinutes: null, maxAgeSeconds: null, lastNewItemAt: now }, 15 * minute],
    ['at the longest of every hint', { intervalSeconds: 60, ttlMinutes: 20, maxAgeSeconds: 300, lastNewItemAt: now }, 20 * minute],
    ['less often when it has been silent (1/24 of the silence)', { intervalSeconds: null, ttlMinutes: null, maxAgeSeconds: null, lastNewItemAt: new Date(now.getTime() - 2 * hour) }, 5 * minute],
    ['at most an hour later for silence alone', { intervalSeconds: null, ttlMinutes: null, maxAgeSeconds: null, lastNewItemAt: new Date(now.getTime() - 30 * day) }, hour],
    ['never more than a day later, whatever a server asks', { intervalSeconds: null, ttlMinutes: 100_000, maxAgeSeconds: null, lastNewItemAt: now }, day],
  ])('after a success: %s', (_name, hints, expected) => {
    expect(delayOf(nextPollAfterSuccess({ ...calm, ...hints }))).toBe(expected);
  });

  it('spreads sources apart by at most 10 % either way', () => {
    const hints = { now, intervalSeconds: 600, ttlMinutes: null, maxAgeSeconds: null, lastNewItemAt: now };
    expect(delayOf(nextPollAfterSuccess({ ...hints, random: 0 }))).toBe(9 * minute);
    expect(delayOf(nextPollAfterSuccess({ ...hints, random: 0.999999 }))).toBeCloseTo(11 * minute, -2);
  });

  it.each([
    [1, null, minute],
    [2, null, 2 * minute],
    [5, null, 16 * minute],
    [9, null, 256 * minute],
    [12, null, day],
    [40, null, day],
    [1, 3600, hour],
    [3, 30, 4 * minute],
    [1, 10 * day / 1000, day],
  ])('after failure %i in a row (Retry-After %s s): waits %i ms', (failures, retryAfterSeconds, expected) => {
    expect(delayOf(nextPollAfterFailure({ ...calm, failures, retryAfterSeconds }))).toBe(expected);
  });

  it(`pauses a source at its ${pauseAfterFailures}th failure in a row, not before`, () => {
    expect(shouldPause(pauseAfterFailures - 1)).toBe(false);
    expect(shouldPause(pauseAfterFailures)).toBe(true);
  });

  it.each([
    [0, 20, 20, 1],
    [1, 19, 20, 2],
    [2, 10, 20, 0],
    [0, 5, 5, 0],
    [3, 0, 0, 0],
  ])('counts polls where nearly every entry is new: after %i, %i new of %i gives %i', (previous, fresh, entries, expected) => {
    expect(countFloodPolls(previous, fresh, entries)).toBe(expected);
  });
});
