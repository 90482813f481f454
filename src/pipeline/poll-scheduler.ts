import cron from 'node-cron';
import type { Logger } from '../logger.js';

export interface PollScheduler {
  start(): void;
  /** Runs a tick now and resolves when its work is done. */
  runNow(): Promise<void>;
  /** Stops scheduling and waits for running ticks to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `tick` on a cron schedule. Ticks may overlap: each one starts only the sources that are due
 * and not already being polled (see createSourcePoller), so a slow source never holds back the next
 * tick, and nothing piles up either.
 */
export function createPollScheduler(options: { cron: string; logger: Logger; tick: () => Promise<void> }): PollScheduler {
  const { logger } = options;
  const running = new Set<Promise<void>>();
  let stopped = false;
  let task: ReturnType<typeof cron.schedule> | null = null;

  const runNow = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    const run: Promise<void> = options
      .tick()
      .catch((err: unknown) => logger.error({ err }, 'poll tick failed'))
      .finally(() => running.delete(run));
    running.add(run);
    return run;
  };

  return {
    start() {
      task = cron.schedule(options.cron, () => void runNow(), {
        name: 'poll-sources',
        // node-cron's own messages (a missed tick, say) go to our JSON log, not to the console.
        logger: {
          info: (msg) => logger.debug({ cron: msg }, 'scheduler'),
          warn: (msg) => logger.warn({ cron: msg }, 'scheduler'),
          error: (msg, err) => logger.error({ cron: String(msg), err }, 'scheduler'),
          debug: (msg, err) => logger.debug({ cron: String(msg), err }, 'scheduler'),
        },
      });
    },
    runNow,
    async stop() {
      stopped = true;
      if (task) await task.stop();
      await Promise.all([...running]);
    },
  };
}
