import cron from 'node-cron';
import type { Logger } from '../logger.js';

export interface PollScheduler {
  start(): void;
  /** Runs a cycle now (unless one is running) and resolves when it is done. */
  runNow(): Promise<void>;
  /** Stops scheduling and waits for a running cycle to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `cycle` on a cron schedule. A tick that comes while the previous cycle still runs is skipped,
 * so cycles never pile up on a slow network.
 */
export function createPollScheduler(options: { cron: string; logger: Logger; cycle: () => Promise<void> }): PollScheduler {
  const { logger } = options;
  let running: Promise<void> | null = null;
  let stopped = false;
  let task: ReturnType<typeof cron.schedule> | null = null;

  const runNow = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) return running;
    running = options
      .cycle()
      .catch((err: unknown) => logger.error({ err }, 'poll cycle failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };

  return {
    start() {
      task = cron.schedule(
        options.cron,
        () => {
          if (running) {
            logger.warn('poll tick skipped: the previous cycle is still running');
            return;
          }
          void runNow();
        },
        {
          name: 'poll-sources',
          // node-cron's own messages (a missed tick, say) go to our JSON log, not to the console.
          logger: {
            info: (msg) => logger.debug({ cron: msg }, 'scheduler'),
            warn: (msg) => logger.warn({ cron: msg }, 'scheduler'),
            error: (msg, err) => logger.error({ cron: String(msg), err }, 'scheduler'),
            debug: (msg, err) => logger.debug({ cron: String(msg), err }, 'scheduler'),
          },
        },
      );
    },
    runNow,
    async stop() {
      stopped = true;
      if (task) await task.stop();
      await running;
    },
  };
}
