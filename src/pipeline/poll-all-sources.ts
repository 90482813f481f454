import type { SourceRecord } from '../store/store.js';
import { hostKey, KeyedLimiter } from './host-limiter.js';
import { pollSource, type PollResult } from './poll-source.js';
import type { PipelineDeps, PollOutcomeKind } from './ports.js';

export interface PollCycleSummary {
  sources: number;
  failed: number;
  newItems: number;
  queuedDeliveries: number;
  /** Sources skipped because a poll of theirs was still running or waiting. */
  busy: number;
}

export interface SourcePollerOptions {
  /** Polls running at once, overall. Default 64. */
  concurrency?: number;
  /** Polls running at once against one host. Default 2. */
  perHost?: number;
  /** Called as soon as one source queued posts, so delivery starts before the whole batch is done. */
  onQueued?: () => void;
}

/**
 * Polls sources with bounded concurrency, overall and per host. A source whose poll is still running
 * (a slow or hung server) is skipped by later batches instead of holding them up: every batch starts
 * the due sources at once, whatever an earlier batch is still waiting for.
 */
export interface SourcePoller {
  /** Polls the active sources that are due now. */
  pollDue(): Promise<PollCycleSummary>;
  /** Polls every active source now, due or not (tests, benchmarks, and an admin's "poll now"). */
  pollAll(): Promise<PollCycleSummary>;
  /** Runs any other per-host work (adding sources) under the same limits. */
  runForHost<T>(url: string, task: () => Promise<T>): Promise<T>;
  /** Polls running or waiting. */
  readonly inFlight: number;
}


export function createSourcePoller(deps: PipelineDeps, options: SourcePollerOptions = {}): SourcePoller {
  const limiter = new KeyedLimiter({ global: options.concurrency ?? 64, perKey: options.perHost ?? 2 });
  const polling = new Set<number>();

  const concurrency = options.concurrency ?? 64;
  // Claims are topped up once this many polls have finished, so a cycle of many sources costs a
  // claim per few polls, not one per poll.
  const refillBatch = Math.max(1, Math.floor(concurrency / 8));

  function emptySummary(): PollCycleSummary {
    return { sources: 0, failed: 0, newItems: 0, queuedDeliveries: 0, busy: 0 };
  }

  /** Starts a poll of each source not already being polled here; returns the runs started. */
  function startPolls(sources: SourceRecord[], summary: PollCycleSummary): Array<Promise<void>> {
    const runs: Array<Promise<void>> = [];
    for (const source of sources) {
      if (polling.has(source.id)) {
        summary.busy += 1;
        continue;
      }
      polling.add(source.id);
      summary.sources += 1;
      runs.push(
        limiter
          .run(hostKey(source.feedUrl), () => timedPoll(deps, source))
          .then((result) => {
            if (!result.ok) {
              summary.failed += 1;
              return;
            }
            summary.newItems += result.newItems;
            summary.queuedDeliveries += result.queuedDeliveries;
            if (result.queuedDeliveries > 0 || (result.queuedEdits ?? 0) > 0) options.onQueued?.();
          })
          .finally(() => polling.delete(source.id)),
      );
    }
    return runs;
  }

  return {
    async pollDue() {
      // Sources are claimed (leased to this process) as polling slots free up, not all at once: where
      // several processes share the store, each takes what it can poll now and the others the rest.
      // A cycle takes the sources due when it started: one polled during the cycle and due again by
      // then waits for the next tick, so a cycle always ends (ticks overlap; see createPollScheduler).
      const cycleStart = deps.now?.() ?? new Date();
      const summary = emptySummary();
      const runs = new Set<Promise<void>>();
      let failure: { err: unknown } | null = null;
      let exhausted = false;
      for (;;) {
        const room = concurrency - limiter.size;
        if (!exhausted && !failure && room > 0 && (runs.size === 0 || room >= refillBatch)) {
          const claimed = await deps.store.claimDueSources(deps.now?.() ?? new Date(), room, cycleStart);
          if (claimed.length < room) exhausted = true;
          for (const run of startPolls(claimed, summary)) {
            const tracked: Promise<void> = run
              .catch((err: unknown) => void (failure ??= { err }))
              .finally(() => runs.delete(tracked));
            runs.add(tracked);
          }
        }
        if (runs.size === 0) break;
        await Promise.race(runs);
      }
      if (failure) throw (failure as { err: unknown }).err;
      return summary;
    },
    async pollAll() {
      const sources = await deps.store.listSources();
      const summary = emptySummary();
      await Promise.all(startPolls(sources.filter((source) => source.state === 'active'), summary));
      return summary;
    },
    runForHost(url, task) {
      return limiter.run(hostKey(url), task);
    },
    get inFlight() {
      return limiter.size;
    },
  };
}

/** Polls one source, reporting how it ended and how long it took to `deps.events`. */
async function timedPoll(deps: PipelineDeps, source: SourceRecord): Promise<PollResult> {
  const started = performance.now();
  const result = await pollSource(deps, source);
  const outcome: PollOutcomeKind = !result.ok ? 'failed' : result.notModified ? 'not-modified' : result.newItems > 0 ? 'new-items' : 'unchanged';
  deps.events?.onPollDone?.({ outcome, ms: performance.now() - started, newItems: result.ok ? result.newItems : 0 });
  return result;
}

/** One poll of every active source, a few at a time (tests and tools). */
export async function pollAllSources(
  deps: PipelineDeps,
  options: SourcePollerOptions = {},
): Promise<PollCycleSummary> {
  return createSourcePoller(deps, options).pollAll();
}
