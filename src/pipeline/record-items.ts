import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { NewItem, RecordItemsResult, Store } from '../store/store.js';

/** Items written per transaction: small enough that one never holds the main thread for long. */
const chunkSize = 200;

/**
 * Stores a poll's new items in short transactions, letting sends and answers run in between: a feed
 * of 2,000 new items in one transaction held the event loop for over 100 ms. Only the newest
 * `postLimit` items (items come oldest first, so the last ones) are posted; they go in the last
 * transaction, each with its deliveries, so a crash midway never leaves an item without its posts:
 * the items not stored yet are simply new again at the next poll.
 */
export async function recordItemsInChunks(
  store: Store,
  sourceId: number,
  items: NewItem[],
  options: { deliver: boolean; postLimit?: number },
): Promise<RecordItemsResult & { unposted: number }> {
  const postable = options.deliver ? Math.min(items.length, options.postLimit ?? items.length) : 0;
  const quiet = items.slice(0, items.length - postable);
  const total: RecordItemsResult & { unposted: number } = { newItemIds: [], queuedDeliveries: 0, unposted: 0 };
  for (let start = 0; start < quiet.length; start += chunkSize) {
    const result = await store.recordItems(sourceId, quiet.slice(start, start + chunkSize), { deliver: false });
    total.newItemIds.push(...result.newItemIds);
    if (options.deliver) total.unposted += result.newItemIds.length;
    await yieldToEventLoop();
  }
  if (postable > 0) {
    const result = await store.recordItems(sourceId, items.slice(items.length - postable), { deliver: true });
    total.newItemIds.push(...result.newItemIds);
    total.queuedDeliveries += result.queuedDeliveries;
  }
  return total;
}
