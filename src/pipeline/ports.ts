import type { Logger } from '../logger.js';
import type { DocumentMemory, SourceOutcome } from '../sources/types.js';
import type { SourceRecord, Store } from '../store/store.js';
import type { CpuWork } from './cpu-pool.js';
import type { PeriodEnd } from './plan-deliveries.js';

/**
 * What the pipeline needs from sources/: read a URL as a feed. Polls pass what they remember of the
 * last document (conditional GET, and no re-parse of a byte-identical body); /addsource asks for
 * discovery when the URL is a web page.
 */
export type ReadSource = (url: string, options?: { memory?: DocumentMemory; discover?: boolean }) => Promise<SourceOutcome>;

/** Something the bot admins should hear about a source, in private. */
export type SourceNotice =
  | { kind: 'paused'; source: SourceRecord; failures: number; error: string }
  | { kind: 'retired'; source: SourceRecord; error: string }
  | { kind: 'flooding'; source: SourceRecord; newEntries: number; entries: number; polls: number };

/** How one poll of one source ended: a 304 or identical body, nothing new, new items, or a failure. */
export type PollOutcomeKind = 'not-modified' | 'unchanged' | 'new-items' | 'failed';

/** What the pipeline reports as it goes (metrics listen here; each callback must return at once and never throw). */
export interface PipelineEvents {
  /** One poll of one source ended, after `ms`, storing `newItems` new articles. */
  onPollDone?(poll: { outcome: PollOutcomeKind; ms: number; newItems: number }): void;
}

/** The dependencies every use case in pipeline/ shares. */
export interface PipelineDeps {
  store: Store;
  readSource: ReadSource;
  logger: Logger;
  /** Reads an article's web page (for sources set to full text); absent: excerpts only. */
  readPage?: (url: string) => Promise<string>;
  /** Where parsing and text work run: worker threads in the app, in-process in tests. */
  cpu: CpuWork;
  /** New items of one source posted per poll at most; the rest are stored and searchable. Default 20. */
  postsPerPoll?: number;
  /** Tells the bot admins (best effort; never throws). */
  notify?: (notice: SourceNotice) => void;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** When a digest period ends (default: the next full hour, the next 05:00 UTC); tests make it seconds away. */
  periodEnd?: PeriodEnd;
  /** Observers of what the pipeline does (metrics). */
  events?: PipelineEvents;
}
