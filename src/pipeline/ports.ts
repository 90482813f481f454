import type { Logger } from '../logger.js';
import type { CacheValidators, SourceOutcome } from '../sources/types.js';
import type { Store } from '../store/store.js';

/** What the pipeline needs from sources/: read a URL as a feed, conditionally when validators are given. */
export type ReadSource = (url: string, cache?: CacheValidators) => Promise<SourceOutcome>;

/** The dependencies every use case in pipeline/ shares. */
export interface PipelineDeps {
  store: Store;
  readSource: ReadSource;
  logger: Logger;
}
