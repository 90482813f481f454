import type { PipelineDeps } from './ports.js';
import { pollSource } from './poll-source.js';

export interface PollCycleSummary {
  sources: number;
  failed: number;
  newItems: number;
  queuedDeliveries: number;
}

/**
 * One poll cycle over every source, a few at a time, so one slow source delays only its own slot.
 */
export async function pollAllSources(deps: PipelineDeps, options: { concurrency?: number } = {}): Promise<PollCycleSummary> {
  const sources = await deps.store.listSources();
  const summary: PollCycleSummary = { sources: sources.length, failed: 0, newItems: 0, queuedDeliveries: 0 };
  let next = 0;
  const worker = async () => {
    while (next < sources.length) {
      const source = sources[next++]!;
      const result = await pollSource(deps, source);
      if (result.ok) {
        summary.newItems += result.newItems;
        summary.queuedDeliveries += result.queuedDeliveries;
      } else {
        summary.failed += 1;
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 8, sources.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return summary;
}
