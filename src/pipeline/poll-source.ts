import type { SourceRecord } from '../store/store.js';
import type { PipelineDeps } from './ports.js';
import { toNewItems } from './to-new-item.js';

export type PollResult =
  | { ok: true; newItems: number; queuedDeliveries: number; notModified: boolean }
  | { ok: false; error: string };

/**
 * Polls one source: fetches it (conditionally), stores the items never seen before and queues their
 * posts in the same transaction. Never throws: a failing source is recorded and reported, and the
 * caller goes on with the others.
 */
export async function pollSource(deps: PipelineDeps, source: SourceRecord): Promise<PollResult> {
  const { store, readSource } = deps;
  const log = deps.logger.child({ sourceId: source.id, url: source.feedUrl });
  try {
    const reading = await readSource(source.feedUrl, { etag: source.etag, lastModified: source.lastModified });
    if (reading.notModified) {
      await store.recordPollOutcome(source.id, { ok: true });
      log.debug('poll: not modified');
      return { ok: true, newItems: 0, queuedDeliveries: 0, notModified: true };
    }
    const items = toNewItems(reading.feed.entries, { signatures: reading.feed.title ? [reading.feed.title] : [] });
    const recorded = await store.recordItems(source.id, items, { deliver: true });
    await store.recordPollOutcome(source.id, {
      ok: true,
      etag: reading.etag,
      lastModified: reading.lastModified,
      // feedUrl is not updated from a poll: a temporary (302) redirect must not move the source for good.
      title: reading.feed.title,
    });
    log.info({ newItems: recorded.newItemIds.length, queuedDeliveries: recorded.queuedDeliveries }, 'poll done');
    return { ok: true, newItems: recorded.newItemIds.length, queuedDeliveries: recorded.queuedDeliveries, notModified: false };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    log.warn({ err }, 'poll failed');
    try {
      await store.recordPollOutcome(source.id, { ok: false, error });
    } catch (storeErr) {
      log.error({ err: storeErr }, 'could not record poll failure');
    }
    return { ok: false, error };
  }
}
