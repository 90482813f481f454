import { describe, expect, it } from 'vitest';
import { checkScheduler, createReadinessCheck, longestCronGapMs } from '../../src/server/readiness.js';

const minute = 60_000;

describe('readiness', () => {
  it.each([
    ['*/5 * * * *', 5 * minute],
    ['*/2 * * * * *', 2000],
    ['0 * * * *', 60 * minute],
  ])('knows the longest gap between ticks of %s', (expression, gap) => {
    expect(longestCronGapMs(expression)).toBe(gap);
  });

  it('takes the longest gap of an irregular schedule (17:00 to 09:00)', () => {
    // 16 hours, or one more or less across a daylight-saving change in the local time zone.
    const gap = longestCronGapMs('0 9,17 * * *');
    expect(gap).toBeGreaterThanOrEqual(16 * 60 * minute);
    expect(gap).toBeLessThanOrEqual(17 * 60 * minute);
  });

  it.each([
    ['before the scheduler started', { startedAt: null, lastTickAt: null }, 0, false],
    ['just after it started, before any tick', { startedAt: 0, lastTickAt: null }, 9 * minute, true],
    ['when it started two periods ago and never ticked', { startedAt: 0, lastTickAt: null }, 11 * minute, false],
    ['when it ticked less than two periods ago', { startedAt: 0, lastTickAt: 60 * minute }, 69 * minute, true],
    ['when it last ticked more than two periods ago', { startedAt: 0, lastTickAt: 60 * minute }, 71 * minute, false],
  ])('judges the scheduler %s', (_what, state, now, ok) => {
    const result = checkScheduler(state, 5 * minute, now);
    expect(result.ok).toBe(ok);
    if (!ok) expect(result.error).toMatch(/scheduler/);
  });

  const healthy = {
    pingDatabase: async () => ({ version: 1 }),
    scheduler: () => ({ startedAt: Date.now(), lastTickAt: null }),
    tickGapMs: 5 * minute,
    updatesRunning: () => true,
  };

  it('is ready when the database answers, the scheduler ticks and updates arrive', async () => {
    const report = await createReadinessCheck(healthy)();
    expect(report).toEqual({ ok: true, checks: { database: { ok: true }, scheduler: { ok: true }, updates: { ok: true } } });
  });

  it('says which check failed', async () => {
    const report = await createReadinessCheck({ ...healthy, updatesRunning: () => false })();
    expect(report.ok).toBe(false);
    expect(report.checks.updates).toEqual({ ok: false, error: 'the update loop is not running' });
    expect(report.checks.database.ok).toBe(true);
  });

  it('is not ready when the database fails, with the message only', async () => {
    const failing = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { connectionString: 'postgres://u:hunter22@db/x' });
    const report = await createReadinessCheck({ ...healthy, pingDatabase: () => Promise.reject(failing) })();
    expect(report.ok).toBe(false);
    expect(report.checks.database.error).toMatch(/ECONNREFUSED/);
    expect(JSON.stringify(report)).not.toContain('hunter22');
  });

  it('is not ready when the database hangs, and answers within the timeout', async () => {
    const check = createReadinessCheck({ ...healthy, pingDatabase: () => new Promise(() => undefined), databaseTimeoutMs: 100 });
    const started = Date.now();
    const report = await check();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.checks.database).toEqual({ ok: false, error: 'the database did not answer within 100 ms' });
  });

  it('is not ready when pinging the database throws at once', async () => {
    const report = await createReadinessCheck({
      ...healthy,
      pingDatabase: () => {
        throw new Error('The database connection is not open');
      },
    })();
    expect(report.checks.database).toEqual({ ok: false, error: 'the database failed: The database connection is not open' });
  });
});
