import cron from 'node-cron';

/** One check of /readyz: passed or not, and why not. */
export interface CheckResult {
  ok: boolean;
  /** What failed, for the operator (never a secret). */
  error?: string;
}

/** What /readyz answers: ready only when every check passed. */
export interface ReadinessReport {
  ok: boolean;
  checks: Record<'database' | 'scheduler' | 'updates', CheckResult>;
}

export interface ReadinessOptions {
  /** A trivial query; resolves when the database answers. */
  pingDatabase: () => Promise<unknown>;
  /** How long the database may take to answer. Default 2 000 ms. */
  databaseTimeoutMs?: number;
  /** When the scheduler started and last ticked (epoch ms), or null before it started. */
  scheduler: () => { startedAt: number | null; lastTickAt: number | null };
  /** The longest gap between two ticks of the schedule (see longestCronGapMs). */
  tickGapMs: number;
  /** Whether the update loop (long polling or webhook) runs. */
  updatesRunning: () => boolean;
  now?: () => number;
}

/**
 * Builds the /readyz check: the database answers within its timeout, the scheduler ticked within two
 * of its periods (or started less than that ago), and the update loop runs.
 */
export function createReadinessCheck(options: ReadinessOptions): () => Promise<ReadinessReport> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.databaseTimeoutMs ?? 2000;
  return async () => {
    const [database, scheduler, updates] = await Promise.all([
      checkDatabase(options.pingDatabase, timeoutMs),
      Promise.resolve(checkScheduler(options.scheduler(), options.tickGapMs, now())),
      Promise.resolve<CheckResult>(options.updatesRunning() ? { ok: true } : { ok: false, error: 'the update loop is not running' }),
    ]);
    return { ok: database.ok && scheduler.ok && updates.ok, checks: { database, scheduler, updates } };
  };
}

async function checkDatabase(ping: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `the database did not answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const answered = Promise.resolve()
    .then(ping)
    .then(
      (): CheckResult => ({ ok: true }),
      // The message only: a driver's error object may carry the connection string.
      (err: unknown): CheckResult => ({ ok: false, error: `the database failed: ${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'}` }),
    );
  try {
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the scheduler ticked within two of its periods (counting its start as a tick). */
export function checkScheduler(state: { startedAt: number | null; lastTickAt: number | null }, tickGapMs: number, now: number): CheckResult {
  if (state.startedAt === null) return { ok: false, error: 'the scheduler has not started' };
  const last = Math.max(state.startedAt, state.lastTickAt ?? 0);
  const sinceMs = now - last;
  if (sinceMs <= 2 * tickGapMs) return { ok: true };
  return { ok: false, error: `the scheduler last ticked ${Math.round(sinceMs / 1000)} s ago (expected every ${Math.round(tickGapMs / 1000)} s)` };
}

/**
 * The longest gap between consecutive runs of a cron expression over its next `runs` runs: the
 * period of a regular schedule (`*\/5 * * * *`: 5 minutes), the longer gap of an irregular one.
 */
export function longestCronGapMs(expression: string, runs = 24): number {
  const task = cron.createTask(expression, () => undefined);
  try {
    const times = task.getNextRuns(runs + 1).map((date) => date.getTime());
    let longest = 0;
    for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
    return longest;
  } finally {
    void task.destroy();
  }
}
