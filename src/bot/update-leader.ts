import type { Logger } from '../logger.js';
import type { UpdatesLeadership } from '../store/store.js';
import type { UpdateLoop } from './run-updates.js';

export interface LeaderPollingOptions {
  /** Takes the getUpdates lease, or null when another process holds it (the store's leadUpdates). */
  lead: () => Promise<UpdatesLeadership | null>;
  /** Starts long polling (run-updates' startLongPolling, bound to the bot). */
  startPolling: () => Promise<UpdateLoop>;
  logger: Logger;
  /** How often a process without the lease asks again. Default 2 s: a new leader within seconds. */
  retryMs?: number;
}

/**
 * Long polling by one process at a time (Telegram answers a second getUpdates consumer with 409):
 * the process holding the getUpdates lease polls; the others ask for the lease every `retryMs` and
 * one of them takes over within seconds when the holder dies (its database connection closes). A
 * holder that loses the lease stops polling and asks again like the others. Resolves once the first
 * attempt is settled: polling when the lease was free, waiting in the background otherwise.
 */
export async function startLeaderPolling(options: LeaderPollingOptions): Promise<UpdateLoop> {
  const { logger } = options;
  const retryMs = options.retryMs ?? 2000;
  let stopped = false;
  let wakeStop: () => void = () => undefined;
  const stopSignal = new Promise<'stop'>((resolve) => (wakeStop = () => resolve('stop')));
  let polling: UpdateLoop | null = null;
  let firstAttempt!: () => void;
  const settled = new Promise<void>((resolve) => (firstAttempt = resolve));

  const pause = (ms: number) =>
    Promise.race([stopSignal, new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);

  async function takeLease(): Promise<UpdatesLeadership | null> {
    try {
      return await options.lead();
    } catch (err) {
      logger.warn({ err }, 'could not ask for the getUpdates lease; retrying');
      return null;
    }
  }

  async function campaign(): Promise<void> {
    let waitingLogged = false;
    while (!stopped) {
      const lease = await takeLease();
      if (!lease) {
        if (!waitingLogged) logger.info('another process receives the updates; standing by for the getUpdates lease');
        waitingLogged = true;
        firstAttempt();
        await pause(retryMs);
        continue;
      }
      if (stopped) {
        await lease.release().catch(() => undefined);
        return;
      }
      try {
        polling = await options.startPolling();
      } catch (err) {
        logger.error({ err }, 'could not start receiving updates; giving the getUpdates lease back');
        await lease.release().catch(() => undefined);
        firstAttempt();
        await pause(retryMs);
        continue;
      }
      logger.info('getUpdates lease taken: this process receives the updates');
      waitingLogged = false;
      firstAttempt();
      const why = await Promise.race([lease.lost.then(() => 'lost' as const), stopSignal]);
      await polling.stop().catch((err: unknown) => logger.warn({ err }, 'update loop stop failed'));
      polling = null;
      await lease.release().catch((err: unknown) => logger.warn({ err }, 'could not give the getUpdates lease back'));
      if (why === 'lost') {
        logger.warn('lost the getUpdates lease (its database connection closed); stopped receiving updates');
        // The others ask first: a process whose connection broke should not take the lease straight back.
        await pause(retryMs);
      }
    }
  }

  const running = campaign();
  await Promise.race([settled, running]);
  return {
    stop() {
      stopped = true;
      wakeStop();
      return running;
    },
    isRunning: () => !stopped && (polling === null || polling.isRunning()),
  };
}
