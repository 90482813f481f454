import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { textRulesVersion } from '../text/index.js';
import type { ItemText } from '../store/store.js';
import type { PipelineDeps } from './ports.js';

export interface ReindexOptions {
  /** Items read, tokenised (on the worker pool) and written per transaction. Default 500. */
  batchSize?: number;
  /** Rebuild even when the index was built with today's rules (`npm run reindex`). */
  force?: boolean;
  /** Called after each batch. */
  onProgress?: (progress: ReindexProgress) => void;
  /** Stops between batches; the rebuild resumes where it stopped at the next call. */
  signal?: AbortSignal;
}

export interface ReindexProgress {
  done: number;
  total: number;
  itemsPerSecond: number;
}

export type ReindexResult =
  /** `elsewhere`: another process is rebuilding it now (replicas on one PostgreSQL store). */
  | { rebuilt: false; reason: 'current' | 'stopped' | 'elsewhere'; done: number }
  | { rebuilt: true; version: number; items: number; headlineOnly: number; ms: number; itemsPerSecond: number };

const defaultBatchSize = 500;

/**
 * Rebuilds the search index from the items' kept text when the text rules changed since it was built
 * (or always, with `force`): a new index is filled batch by batch beside the live one, which keeps
 * answering searches, and swapped in when complete. Tokens are made on the worker pool; each batch is
 * one short transaction, so polls, sends and answers go on meanwhile. Interrupted (stop, crash), it
 * resumes where it was at the next call. Items stored before body text was kept are indexed from
 * their headline only, and the log says how many.
 */
export async function reindexItems(
  deps: Pick<PipelineDeps, 'store' | 'cpu' | 'logger'>,
  options: ReindexOptions = {},
): Promise<ReindexResult> {
  const { store } = deps;
  const log = deps.logger.child({ part: 'reindex' });
  const state = await store.getIndexState();
  const resuming = state.rebuild?.version === textRulesVersion;
  if (!options.force && !resuming && state.version === textRulesVersion) return { rebuilt: false, reason: 'current', done: 0 };

  // One process rebuilds at a time: replicas starting together after a change of the rules do it once.
  const right = await store.holdIndexRebuild();
  if (!right) {
    log.info('another process is rebuilding the search index');
    return { rebuilt: false, reason: 'elsewhere', done: 0 };
  }
  let lost = false;
  void right.lost.then(() => (lost = true));
  try {
    return await rebuildHolding(deps, options, state.version, () => lost);
  } finally {
    await right.release();
  }
}

/** The rebuild itself, by the process holding the right to it; stops between batches if it lost it. */
async function rebuildHolding(
  deps: Pick<PipelineDeps, 'store' | 'cpu' | 'logger'>,
  options: ReindexOptions,
  fromVersion: number,
  rightLost: () => boolean,
): Promise<ReindexResult> {
  const { store, cpu } = deps;
  const log = deps.logger.child({ part: 'reindex' });
  const batchSize = Math.max(1, options.batchSize ?? defaultBatchSize);
  // Another process may have finished it while this one waited for the right.
  const current = await store.getIndexState();
  if (!options.force && !current.rebuild && current.version === textRulesVersion) return { rebuilt: false, reason: 'current', done: 0 };
  const rebuild = await store.beginIndexRebuild(textRulesVersion);
  const { items: total, withoutBody } = await store.countItemTexts(rebuild.doneUntilId, rebuild.untilId);
  log.info({ fromVersion, toVersion: textRulesVersion, items: total, resumedAfterId: rebuild.doneUntilId || undefined }, 'search index rebuild started');
  if (withoutBody > 0) {
    log.warn({ items: withoutBody }, 'items stored before their text was kept are indexed from their headline only');
  }

  const signatures = await signaturesBySource(deps);
  const started = Date.now();
  let cursor = rebuild.doneUntilId;
  let done = 0;
  const rate = () => Math.round((done / Math.max(1, Date.now() - started)) * 1000);
  for (;;) {
    if (options.signal?.aborted || rightLost()) {
      log.info({ done, total }, 'search index rebuild stopped; it resumes at the next start');
      return { rebuilt: false, reason: 'stopped', done };
    }
    const batch = await store.listItemTexts(cursor, rebuild.untilId, batchSize);
    if (batch.length === 0) break;
    const entries = await cpu.makeIndexTokens({ items: batch, signatures: pick(signatures, batch) });
    cursor = batch[batch.length - 1]!.id;
    await store.writeIndexBatch(entries, cursor);
    done += batch.length;
    options.onProgress?.({ done, total, itemsPerSecond: rate() });
    await yieldToEventLoop();
  }
  await store.finishIndexRebuild();
  const ms = Date.now() - started;
  log.info({ version: textRulesVersion, items: done, headlineOnly: withoutBody, ms, itemsPerSecond: rate() }, 'search index rebuilt');
  return { rebuilt: true, version: textRulesVersion, items: done, headlineOnly: withoutBody, ms, itemsPerSecond: rate() };
}

/** Every source's signature lines (learned ones and its title), by source id. */
async function signaturesBySource(deps: Pick<PipelineDeps, 'store'>): Promise<Map<number, string[]>> {
  const bySource = new Map<number, string[]>();
  for (const source of await deps.store.listSources()) {
    const learned = await deps.store.getSourceSignatures(source.id);
    bySource.set(source.id, source.title ? [source.title, ...learned] : learned);
  }
  return bySource;
}

/** The signatures of the sources a batch holds (only those travel to the worker). */
function pick(bySource: Map<number, string[]>, batch: ItemText[]): Record<number, string[]> {
  const picked: Record<number, string[]> = {};
  for (const item of batch) picked[item.sourceId] ??= bySource.get(item.sourceId) ?? [];
  return picked;
}
