import type { Logger } from '../logger.js';
import { SourceError, type SourceErrorCode } from '../sources/types.js';
import type { AddSourceResult } from './add-source.js';

/** What {@link importSources} needs: the add-source use case, already bound to its pipeline. */
export interface ImportSourcesDeps {
  addSource: (url: string) => Promise<AddSourceResult>;
  logger: Logger;
}

/** Why one source of an import was refused: a source error code, or `unknown` for anything else. */
export type ImportRefusalCode = SourceErrorCode | 'unknown';

/** Counts so far, handed to `onProgress` after each source. */
export interface ImportProgress {
  total: number;
  done: number;
  added: number;
  existing: number;
  refused: number;
}

/** The outcome of an import: every URL lands in exactly one of the three lists. */
export interface ImportSummary {
  added: Array<{ url: string; sourceId: number }>;
  existing: Array<{ url: string; sourceId: number }>;
  refused: Array<{ url: string; code: ImportRefusalCode; status?: number }>;
}

export interface ImportSourcesOptions {
  /** Sources read at the same time. Default 8. */
  concurrency?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Stops starting new sources (those not started are neither added nor refused). */
  signal?: AbortSignal;
}

/**
 * Adds many sources (an OPML import), each through the add-source use case, a few at a time. One
 * bad source never stops the others: each ends up added, already there, or refused with its reason.
 * Lists keep the order of `urls`.
 */
export async function importSources(
  deps: ImportSourcesDeps,
  urls: readonly string[],
  options: ImportSourcesOptions = {},
): Promise<ImportSummary> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  type Outcome =
    | { kind: 'added' | 'existing'; url: string; sourceId: number }
    | { kind: 'refused'; url: string; code: ImportRefusalCode; status?: number };
  const outcomes: Array<Outcome | undefined> = new Array(urls.length);
  const progress: ImportProgress = { total: urls.length, done: 0, added: 0, existing: 0, refused: 0 };

  let next = 0;
  async function worker(): Promise<void> {
    while (next < urls.length && !options.signal?.aborted) {
      const index = next++;
      const url = urls[index]!;
      let outcome: Outcome;
      try {
        const result = await deps.addSource(url);
        outcome = { kind: result.created ? 'added' : 'existing', url, sourceId: result.source.id };
      } catch (err) {
        const code: ImportRefusalCode = err instanceof SourceError ? err.code : 'unknown';
        const status = err instanceof SourceError ? err.detail.status : undefined;
        if (code === 'unknown') deps.logger.warn({ err, url }, 'import: source failed unexpectedly');
        outcome = { kind: 'refused', url, code, ...(status !== undefined ? { status } : {}) };
      }
      outcomes[index] = outcome;
      progress.done++;
      progress[outcome.kind]++;
      try {
        options.onProgress?.({ ...progress });
      } catch (err) {
        // Reporting progress is a courtesy; it must not turn a good source into a failed one.
        deps.logger.warn({ err }, 'import: progress report failed');
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, urls.length) }, worker));

  const summary: ImportSummary = { added: [], existing: [], refused: [] };
  for (const outcome of outcomes) {
    if (!outcome) continue;
    if (outcome.kind === 'refused') {
      const { kind: _kind, ...refusal } = outcome;
      summary.refused.push(refusal);
    } else {
      summary[outcome.kind].push({ url: outcome.url, sourceId: outcome.sourceId });
    }
  }
  deps.logger.info(
    { total: urls.length, added: summary.added.length, existing: summary.existing.length, refused: summary.refused.length },
    'import done',
  );
  return summary;
}
