import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { NewItem, RecordItemsResult, Store } from '../store/store.js';
import { burstWindowMs, planDeliveries, type PeriodEnd } from './plan-deliveries.js';

/** Items written per transaction: small enough that one never holds the main thread for long. */
const chunkSize = 200;

/** The clock and digest periods a poll plans its posts with. */
export interface PostingClock {
  /** Default: the real time. */
  now?: Date;
  /** When a digest period ends (default: plan-deliveries' periodEnd). */
  periodEnd?: PeriodEnd;
}

/**
 * Stores items and queues their posts in one transaction: asks the store who receives the source,
 * lets planDeliveries decide each chat's rows (filters, digests, bursts), and hands both to
 * recordItems, which writes rows only for the items it actually inserts.
 */
export async function recordAndQueuePosts(
  store: Store,
  sourceId: number,
  items: readonly NewItem[],
  clock: PostingClock = {},
): Promise<RecordItemsResult> {
  if (items.length === 0) return { newItemIds: [], queuedDeliveries: 0 };
  const now = clock.now ?? new Date();
  const subscribers = await store.listSourceSubscribers(sourceId);
  if (subscribers.length === 0) return store.recordItems(sourceId, items);
  const counted = subscribers.filter((subscriber) => subscriber.settings.digest === 'off').map((subscriber) => subscriber.chatId);
  const recentPosts = counted.length === 0 ? new Map<number, number>() : await store.countRecentPosts(counted, new Date(now.getTime() - burstWindowMs));
  return store.recordItems(sourceId, planDeliveries({ items, subscribers, recentPosts, now, periodEnd: clock.periodEnd }));
}

/**
 * Stores a poll's new items in short transactions, letting sends and answers run in between: a feed
 * of 2,000 new items in one transaction held the event loop for over 100 ms. Only the newest
 * `postLimit` items (items come oldest first, so the last ones) are posted, and only when `deliver`
 * (a source's first read at /addsource stores its items without posting them); they go in the last
 * transaction, each with its deliveries, so a crash midway never leaves an item without its posts:
 * the items not stored yet are simply new again at the next poll.
 */
export async function recordItemsInChunks(
  store: Store,
  sourceId: number,
  items: NewItem[],
  options: { deliver: boolean; postLimit?: number } & PostingClock,
): Promise<RecordItemsResult & { unposted: number }> {
  const postable = options.deliver ? Math.min(items.length, options.postLimit ?? items.length) : 0;
  const quiet = items.slice(0, items.length - postable);
  const total: RecordItemsResult & { unposted: number } = { newItemIds: [], queuedDeliveries: 0, unposted: 0 };
  for (let start = 0; start < quiet.length; start += chunkSize) {
    const result = await store.recordItems(sourceId, quiet.slice(start, start + chunkSize));
    total.newItemIds.push(...result.newItemIds);
    if (options.deliver) total.unposted += result.newItemIds.length;
    await yieldToEventLoop();
  }
  if (postable > 0) {
    const result = await recordAndQueuePosts(store, sourceId, items.slice(items.length - postable), options);
    total.newItemIds.push(...result.newItemIds);
    total.queuedDeliveries += result.queuedDeliveries;
  }
  return total;
}
