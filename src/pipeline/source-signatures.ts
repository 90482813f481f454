import type { Store } from '../store/store.js';
import type { CpuWork } from './cpu-pool.js';
import type { PipelineDeps } from './ports.js';

/** A source's newest items whose texts are compared to learn its signature. */
const learnFromItems = 20;
/** Signature lines kept per source; the oldest learned go first beyond this. */
export const maxSignatureLines = 20;

/** The lines kept out of a source's index and headlines: its feed title and what was learned. */
export async function sourceSignatures(store: Store, sourceId: number, feedTitle: string | null): Promise<string[]> {
  const learned = await store.getSourceSignatures(sourceId);
  return feedTitle ? [feedTitle, ...learned] : learned;
}

/**
 * Learns the lines a source repeats across its newest items (text/'s learnSignatures, on the
 * worker pool) and adds them to what the store keeps for it. Learned lines stay: once kept out of
 * new items' texts they no longer repeat there, and a line that once stood in half of a source's
 * articles is its signature, not news. Returns the lines learned this time.
 */
export async function learnSourceSignatures(
  deps: Pick<PipelineDeps, 'store' | 'logger'> & { cpu: Pick<CpuWork, 'learnSignatures'> },
  sourceId: number,
): Promise<string[]> {
  const bodies = await deps.store.recentBodyTexts(sourceId, learnFromItems);
  const found = await deps.cpu.learnSignatures(bodies);
  if (found.length === 0) return [];
  const previous = await deps.store.getSourceSignatures(sourceId);
  const known = new Set(previous);
  const fresh = found.filter((line) => !known.has(line));
  if (fresh.length === 0) return [];
  await deps.store.setSourceSignatures(sourceId, [...previous, ...fresh].slice(-maxSignatureLines));
  deps.logger.info({ sourceId, lines: fresh.length }, 'source signature learned; kept out of new items and the next index rebuild');
  return fresh;
}
