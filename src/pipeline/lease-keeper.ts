import type { Logger } from '../logger.js';
import type { CoordinationStore } from '../store/store.js';

export interface LeaseKeeper {
  /** Stops renewing; resolves when a renewal under way has finished. */
  stop(): Promise<void>;
}

export interface LeaseKeeperOptions {
  store: Pick<CoordinationStore, 'leaseMs' | 'renewLeases' | 'takeOverExpiredDeliveries'>;
  logger: Logger;
  /** Posts of a process that died mid-send went back to the queue: the sender should look now. */
  onTakenOver?: (count: number) => void;
  /** Default: a third of the lease, so one missed round never lets a live lease lapse. */
  everyMs?: number;
}

/**
 * Keeps this process's leases alive while it works (a slow fetch or send never loses its source or
 * post to another process), and takes over the posts of a process whose leases ran out: it died
 * mid-send, so they go back to the queue to be sent again (at most one repeat each).
 */
export function startLeaseKeeper(options: LeaseKeeperOptions): LeaseKeeper {
  const { store, logger } = options;
  const everyMs = options.everyMs ?? Math.max(100, Math.floor(store.leaseMs / 3));
  let running: Promise<void> | null = null;
  let stopped = false;

  const round = async () => {
    const now = new Date();
    try {
      await store.renewLeases(now);
    } catch (err) {
      logger.warn({ err }, 'could not renew leases; retrying');
    }
    try {
      const takenOver = await store.takeOverExpiredDeliveries(now);
      if (takenOver > 0) {
        logger.warn({ takenOver }, 'posts left sending by a stopped process will be sent again');
        options.onTakenOver?.(takenOver);
      }
    } catch (err) {
      logger.warn({ err }, 'could not take over expired leases; retrying');
    }
  };

  const timer = setInterval(() => {
    if (running || stopped) return;
    running = round().finally(() => (running = null));
  }, everyMs);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
