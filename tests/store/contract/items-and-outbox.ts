import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAndQueuePosts } from '../../../src/pipeline/record-items.js';
import type { Store } from '../../../src/store/store.js';
import { item, storePerTest, type StoreBackend } from './backend.js';

/** Items as polls record them, and the outbox their posts wait in. */
export function describeItemsAndOutbox(backend: StoreBackend): void {
  describe('items and the outbox', () => {
    const opened = storePerTest(backend);
    let store: Store;
    beforeEach(async () => {
      store = await opened.open();
    });
    afterEach(() => opened.close());

    it('stores an item once per key, and queues one delivery per subscribed chat only for new items', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
      await store.upsertChat({ id: -200, kind: 'supergroup', title: 'G', username: null });
      await store.subscribe(-100, 'all', 1);
      await store.subscribe(-200, [source.id], 2);

      const first = await recordAndQueuePosts(store, source.id, [item('a'), item('b')]);
      expect(first.newItemIds).toHaveLength(2);
      expect(first.queuedDeliveries).toBe(4);

      const again = await recordAndQueuePosts(store, source.id, [item('a'), item('b'), item('c')]);
      expect(again.newItemIds).toHaveLength(1);
      expect(again.queuedDeliveries).toBe(2);
      expect((await store.countDeliveries()).pending).toBe(6);
    });

    it('gives new items ids in the order given, after every id before, and one item for a key given twice', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      const first = await store.recordItems(source.id, [item('a'), item('b')]);
      const second = await store.recordItems(source.id, [item('b'), item('c'), item('d'), item('c', 'headline again')]);
      expect(second.newItemIds).toHaveLength(2);
      expect([...first.newItemIds, ...second.newItemIds]).toEqual([...first.newItemIds, ...second.newItemIds].sort((x, y) => x - y));
      expect(second.newItemIds[0]).toBeGreaterThan(first.newItemIds[1]!);
      const latest = await store.latestItems(10);
      expect(latest.filter((i) => i.link === 'https://example.com/c').map((i) => i.headline)).toEqual(['headline c']);
      expect(latest[0]).toMatchObject({ sourceId: source.id, sourceTitle: 'S', publishedAt: null });
      expect(latest[0]!.firstSeenAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(await store.recordItems(source.id, [])).toEqual({ newItemIds: [], queuedDeliveries: 0 });
    });

    it('stores the items of a newly added source without queuing posts', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
      await store.subscribe(-100, 'all', 1);
      const result = await store.recordItems(source.id, [item('a')]);
      expect(result.newItemIds).toHaveLength(1);
      expect(result.queuedDeliveries).toBe(0);
      // The key is now known: a later poll does not post it.
      expect((await recordAndQueuePosts(store, source.id, [item('a')])).queuedDeliveries).toBe(0);
    });

    it('stores nothing of a batch that fails, and the next batch goes in whole', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      const broken = { ...item('broken'), headline: null as unknown as string };
      await expect(store.recordItems(source.id, [item('a'), broken])).rejects.toThrow();
      expect(await store.latestItems(5)).toEqual([]);
      expect((await store.getSource(source.id))?.itemCount).toBe(0);
      expect((await store.recordItems(source.id, [item('a')])).newItemIds).toHaveLength(1);
    });

    it('claims at most one delivery per chat, oldest first, and keeps the order within a chat', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
      await store.upsertChat({ id: -200, kind: 'channel', title: 'D', username: null });
      await store.subscribe(-100, 'all', 1);
      await store.subscribe(-200, 'all', 1);
      await recordAndQueuePosts(store, source.id, [item('1'), item('2')]);

      const firstRound = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
      expect(firstRound.map((d) => [d.chatId, d.headline])).toEqual([
        [-100, 'headline 1'],
        [-200, 'headline 1'],
      ]);
      // While a chat has a post in flight, its next post waits.
      expect(await store.claimDueDeliveries({ now: new Date(), limit: 10 })).toHaveLength(0);
      await store.markDeliverySent(firstRound[0]!.id, 11);
      const next = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
      expect(next.map((d) => [d.chatId, d.headline])).toEqual([[-100, 'headline 2']]);
    });

    it('claims no more than the limit, and none for a chat it is told to leave alone', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      for (const id of [-1, -2, -3]) {
        await store.upsertChat({ id, kind: 'channel', title: null, username: null });
        await store.subscribe(id, 'all', 1);
      }
      await recordAndQueuePosts(store, source.id, [item('1')]);
      expect(await store.claimDueDeliveries({ now: new Date(), limit: 0 })).toEqual([]);
      const claimed = await store.claimDueDeliveries({ now: new Date(), limit: 1, excludeChatIds: [-1] });
      expect(claimed.map((d) => [d.chatId, d.chatKind, d.sourceTitle, d.link])).toEqual([[-2, 'channel', 'S', 'https://example.com/1']]);
      expect((await store.claimDueDeliveries({ now: new Date(), limit: 5 })).map((d) => d.chatId)).toEqual([-1, -3]);
    });

    it('holds a retried delivery until its time, and requeues deliveries interrupted by a crash', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
      await store.subscribe(-100, 'all', 1);
      await recordAndQueuePosts(store, source.id, [item('1')]);
      const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 1 });
      const later = new Date(Date.now() + 60_000);
      await store.markDeliveryRetry(claimed!.id, later, '429');
      expect(await store.claimDueDeliveries({ now: new Date(), limit: 1 })).toHaveLength(0);
      expect((await store.nextDeliveryDueAt())?.getTime()).toBe(later.getTime());
      const [reclaimed] = await store.claimDueDeliveries({ now: new Date(later.getTime() + 1), limit: 1 });
      expect(reclaimed?.attempts).toBe(2);

      // A crash leaves it in `sending`; the next start sends it again rather than losing it.
      expect(await store.requeueInterruptedDeliveries()).toBe(1);
      expect((await store.countDeliveries()).pending).toBe(1);
    });

    it('pauses a chat that refuses posts, and resumes it when an admin subscribes again', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
      await store.subscribe(-100, 'all', 1);
      await recordAndQueuePosts(store, source.id, [item('1')]);
      await store.pauseChat(-100, 'Forbidden: bot was kicked');
      expect((await store.countDeliveries()).paused).toBe(1);
      expect((await store.listSubscriptions(-100))[0]?.paused).toBe(true);
      expect((await recordAndQueuePosts(store, source.id, [item('2')])).queuedDeliveries).toBe(0);

      await store.subscribe(-100, 'all', 1);
      expect((await store.countDeliveries()).pending).toBe(1);
      expect((await store.listSubscriptions(-100))[0]?.paused).toBe(false);
    });

    it('moves subscriptions and pending posts when a group becomes a supergroup', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      await store.upsertChat({ id: -5, kind: 'group', title: 'G', username: null });
      await store.subscribe(-5, [source.id], 1);
      await recordAndQueuePosts(store, source.id, [item('1')]);
      await store.migrateChat(-5, -1005);
      expect(await store.listSubscriptions(-5)).toHaveLength(0);
      expect((await store.listSubscriptions(-1005))[0]?.sourceId).toBe(source.id);
      const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 1 });
      expect(claimed?.chatId).toBe(-1005);
    });

    it('merges a group into a supergroup it already knows: what the supergroup has wins, the rest moves over', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      const { source: other } = await store.addSource({ url: 'v', feedUrl: 'v', title: 'T' });
      await store.upsertChat({ id: -5, kind: 'group', title: 'G', username: null });
      await store.upsertChat({ id: -1005, kind: 'supergroup', title: 'G', username: null });
      await store.subscribe(-5, [source.id, other.id], 1, { threadId: 3 });
      await store.subscribe(-1005, [source.id], 2, { threadId: 8 });
      await recordAndQueuePosts(store, source.id, [item('1')]);
      await recordAndQueuePosts(store, other.id, [item('2')]);
      await store.migrateChat(-5, -1005);
      expect(await store.getChat(-5)).toBeNull();
      const subs = await store.listSubscriptions(-1005);
      expect(subs.map((sub) => [sub.sourceId, sub.subscribedBy, sub.threadId])).toEqual([
        [source.id, 2, 8],
        [other.id, 1, 3],
      ]);
      // Item 1 was queued for both chats: the supergroup's own row stays, the group's goes with it.
      expect(await store.countDeliveries()).toMatchObject({ pending: 2 });
      const claimed = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
      expect(claimed.map((d) => [d.chatId, d.headline])).toEqual([[-1005, 'headline 1']]);
    });

    it('counts a source’s items as they are stored', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      await store.recordItems(source.id, [item('a'), item('b')]);
      await store.recordItems(source.id, [item('b'), item('c')]);
      expect((await store.getSource(source.id))?.itemCount).toBe(3);
    });

    it('tells when the oldest delivery still waiting was queued', async () => {
      expect(await store.oldestWaitingDeliveryAt()).toBeNull();
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
      await store.subscribe(-100, 'all', 1);
      const before = Date.now();
      await recordAndQueuePosts(store, source.id, [item('1')]);
      const oldest = await store.oldestWaitingDeliveryAt();
      expect(oldest!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 1 });
      await store.markDeliverySent(claimed!.id, 1);
      expect(await store.oldestWaitingDeliveryAt()).toBeNull();
    });

    it('tells which entry keys a source already has, for any number of keys', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      const { source: other } = await store.addSource({ url: 'v', feedUrl: 'v', title: 'T' });
      await store.recordItems(source.id, [item('a'), item("it's \"quoted\""), item('k2500')]);
      await store.recordItems(other.id, [item('b')]);
      const keys = ['a', 'b', "it's \"quoted\"", ...Array.from({ length: 3000 }, (_, i) => `k${i}`)];
      expect([...(await store.findKnownItemKeys(source.id, keys))].sort()).toEqual(['a', "it's \"quoted\"", 'k2500'].sort());
      expect(await store.findKnownItemKeys(source.id, [])).toEqual(new Set());
    });
  });
}
