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

/** The largest batch one tick starts; the rest are due at the next tick. */
const maxBatch = 20_000;

export function createSourcePoller(deps: PipelineDeps, options: SourcePollerOptions = {}): SourcePoller {
  const limiter = new KeyedLimiter({ global: options.concurrency ?? 64, perKey: options.perHost ?? 2 });
  const polling = new Set<number>();

  async function pollBatch(sources: SourceRecord[]): Promise<PollCycleSummary> {
    const summary: PollCycleSummary = { sources: 0, failed: 0, newItems: 0, queuedDeliveries: 0, busy: 0 };
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
            if (result.queuedDeliveries > 0) options.onQueued?.();
          })
          .finally(() => polling.delete(source.id)),
      );
    }
    await Promise.all(runs);
    return summary;
  }

  return {
    async pollDue() {
      return pollBatch(await deps.store.listDueSources(deps.now?.() ?? new Date(), maxBatch));
    },
    async pollAll() {
      const sources = await deps.store.listSources();
      return pollBatch(sources.filter((source) => source.state === 'active'));
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
