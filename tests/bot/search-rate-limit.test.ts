import { describe, expect, it } from 'vitest';
import { SearchRateLimiter, type RateDecision } from '../../src/bot/search-rate-limit.js';

describe('the per-user search rate limit', () => {
  // Each row: milliseconds since the start when the user searches, and what the limiter decides.
  const cases: Array<{ name: string; at: number[]; expected: RateDecision[] }> = [
    { name: 'lets a burst of three through at once', at: [0, 0, 0], expected: ['allow', 'allow', 'allow'] },
    {
      name: 'warns once when the burst is spent, then refuses quietly',
      at: [0, 0, 0, 0, 10, 20, 30],
      expected: ['allow', 'allow', 'allow', 'warn', 'drop', 'drop', 'drop'],
    },
    { name: 'allows about one search a second after a burst', at: [0, 0, 0, 1000, 2000, 3000], expected: ['allow', 'allow', 'allow', 'allow', 'allow', 'allow'] },
    {
      name: 'warns again only after a search got through',
      at: [0, 0, 0, 0, 0, 1000, 1000, 1000],
      expected: ['allow', 'allow', 'allow', 'warn', 'drop', 'allow', 'warn', 'drop'],
    },
    { name: 'refuses a steady two searches a second', at: [0, 0, 0, 500, 1000, 1500, 2000, 2500], expected: ['allow', 'allow', 'allow', 'warn', 'allow', 'warn', 'allow', 'warn'] },
    { name: 'refills no more than a burst after a long pause', at: [0, 0, 0, 60_000, 60_000, 60_000, 60_000], expected: ['allow', 'allow', 'allow', 'allow', 'allow', 'allow', 'warn'] },
  ];

  it.each(cases)('$name', ({ at, expected }) => {
    const time = { now: 0 };
    const limiter = new SearchRateLimiter({ now: () => time.now });
    const decisions = at.map((ms) => {
      time.now = ms;
      return limiter.take(1);
    });
    expect(decisions).toEqual(expected);
  });

  it('counts each user on their own', () => {
    const limiter = new SearchRateLimiter({ now: () => 0 });
    for (let index = 0; index < 3; index++) limiter.take(1);
    expect(limiter.take(1)).toBe('warn');
    expect(limiter.take(2)).toBe('allow');
  });

  it('tracks a bounded number of users, forgetting the least recently seen', () => {
    const limiter = new SearchRateLimiter({ now: () => 0, maxKeys: 100 });
    for (let user = 0; user < 1000; user++) limiter.take(user);
    expect(limiter.size).toBe(100);
  });
});
