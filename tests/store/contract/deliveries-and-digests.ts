import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultChatSettings, maxDigestRows, type ItemToRecord, type PlannedDelivery, type Store } from '../../../src/store/store.js';
import { storePerTest, type StoreBackend } from './backend.js';

const past = new Date(Date.now() - 60_000);
const later = new Date(Date.now() + 3_600_000);

function item(key: string, deliveries: PlannedDelivery[] = [], extra: Partial<ItemToRecord> = {}): ItemToRecord {
  return { key, headline: `headline ${key}`, link: `https://example.com/${key}`, publishedAt: null, searchTitle: key, searchBody: '', deliveries, ...extra };
}

const post = (chatId: number, threadId: number | null = null): PlannedDelivery => ({ chatId, threadId, notBefore: past, digest: false });
const digest = (chatId: number, notBefore = past, threadId: number | null = null): PlannedDelivery => ({ chatId, threadId, notBefore, digest: true });

/** Which chats receive a source, the rows the pipeline plans, digests and their claims. */
export function describeDeliveriesAndDigests(backend: StoreBackend): void {
  describe('which chats receive a source, and the outbox rows the pipeline plans (store)', () => {
    const opened = storePerTest(backend);
    let store: Store;
    let sourceId: number;
    let otherSourceId: number;

    beforeEach(async () => {
      store = await opened.open();
      sourceId = (await store.addSource({ url: 'a', feedUrl: 'a', title: 'Source A' })).source.id;
      otherSourceId = (await store.addSource({ url: 'b', feedUrl: 'b', title: 'Source B' })).source.id;
      for (const id of [-1, -2, -3, -4, -5]) await store.upsertChat({ id, kind: 'channel', title: `chat ${id}`, username: null });
    });
    afterEach(() => opened.close());

    describe('listSourceSubscribers', () => {
      it('lists each chat once, subscribed by name or to all, in subscription order, with its topic and settings', async () => {
        await store.subscribe(-3, 'all', 1);
        await store.subscribe(-1, [sourceId], 1, { threadId: 5 });
        await store.subscribe(-2, [otherSourceId], 1);
        // Both to all (topic 1) and to the source by name (topic 7): the named one wins.
        await store.subscribe(-4, 'all', 1, { threadId: 1 });
        await store.subscribe(-4, [sourceId], 1, { threadId: 7 });
        await store.updateChatSettings(-1, { digest: 'hourly', includeWords: ['حلب'] });

        const subscribers = await store.listSourceSubscribers(sourceId);
        expect(subscribers.map(({ chatId, threadId }) => [chatId, threadId])).toEqual([
          [-3, null],
          [-1, 5],
          [-4, 7],
        ]);
        expect(subscribers[1]!.settings).toEqual({ ...defaultChatSettings, digest: 'hourly', includeWords: ['حلب'] });
        expect(subscribers[0]!.settings).toEqual(defaultChatSettings);
      });

      it('leaves out a paused chat, and lists it again once resumed', async () => {
        await store.subscribe(-1, 'all', 1);
        await store.subscribe(-2, 'all', 1);
        await store.pauseChat(-1, 'Forbidden: bot was kicked');
        expect((await store.listSourceSubscribers(sourceId)).map((s) => s.chatId)).toEqual([-2]);
        await store.resumeChat(-1);
        expect((await store.listSourceSubscribers(sourceId)).map((s) => s.chatId)).toEqual([-1, -2]);
      });

      it('lists nobody for a source nobody follows', async () => {
        await store.subscribe(-1, [otherSourceId], 1);
        expect(await store.listSourceSubscribers(sourceId)).toEqual([]);
      });
    });

    describe('recordItems with planned deliveries', () => {
      it('writes the planned rows of new items only: an item another poll stored first gets none', async () => {
        const first = await store.recordItems(sourceId, [item('a', [post(-1)])]);
        expect(first.queuedDeliveries).toBe(1);
        const again = await store.recordItems(sourceId, [item('a', [post(-1), post(-2)]), item('b', [post(-2)])]);
        expect(again).toMatchObject({ queuedDeliveries: 1 });
        expect(again.newItemIds).toHaveLength(1);
        expect((await store.countDeliveries()).pending).toBe(2);
      });

      it('skips a planned row for a chat paused or gone since the plan, and a second row for the same chat', async () => {
        await store.pauseChat(-2, 'Forbidden: bot was kicked');
        const result = await store.recordItems(sourceId, [item('a', [post(-1), post(-1), post(-2), post(-999)])]);
        expect(result.queuedDeliveries).toBe(1);
        expect(result.newItemIds).toHaveLength(1);
      });

      it('keeps an item’s summary and picture for the sender', async () => {
        await store.recordItems(sourceId, [item('a', [post(-1)], { summary: 'Two sentences.', imageUrl: 'https://example.com/a.jpg', titleHash: 'abc' })]);
        const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
        expect(claimed).toMatchObject({ kind: 'post', summary: 'Two sentences.', imageUrl: 'https://example.com/a.jpg', rowIds: [claimed!.id], items: [] });
      });

      it('hands the sender the chat’s settings as of the claim', async () => {
        await store.recordItems(sourceId, [item('a', [post(-1)])]);
        await store.updateChatSettings(-1, { style: 'photo', silent: true, linkPreview: false, language: 'en' });
        const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
        expect(claimed!.settings).toMatchObject({ style: 'photo', silent: true, linkPreview: false, language: 'en' });
        expect(claimed).toMatchObject({ summary: null, imageUrl: null });
      });
    });

    describe('countRecentPosts', () => {
      it('counts the posts queued per chat since a time, not digest rows, and leaves out chats with none', async () => {
        const before = new Date(Date.now() - 1000);
        await store.recordItems(sourceId, [item('a', [post(-1), post(-2)]), item('b', [post(-1), digest(-2)]), item('c', [digest(-1)])]);
        const counts = await store.countRecentPosts([-1, -2, -3], before);
        expect([...counts.entries()].sort()).toEqual([
          [-1, 2],
          [-2, 1],
        ]);
        expect((await store.countRecentPosts([-1], new Date(Date.now() + 60_000))).size).toBe(0);
        expect((await store.countRecentPosts([], before)).size).toBe(0);
      });
    });

    describe('claiming digests', () => {
      it('claims every due digest row of a chat as one digest, oldest first, and not the rows not yet due', async () => {
        await store.recordItems(sourceId, [item('a', [digest(-1)]), item('b', [digest(-1)])]);
        await store.recordItems(otherSourceId, [item('c', [digest(-1)]), item('d', [digest(-1, later)])]);
        const claimed = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
        expect(claimed).toHaveLength(1);
        const [record] = claimed;
        expect(record).toMatchObject({ kind: 'digest', chatId: -1, chatKind: 'channel', attempts: 1 });
        expect(record!.items).toEqual([
          { itemId: expect.any(Number), headline: 'headline a', link: 'https://example.com/a', sourceTitle: 'Source A' },
          { itemId: expect.any(Number), headline: 'headline b', link: 'https://example.com/b', sourceTitle: 'Source A' },
          { itemId: expect.any(Number), headline: 'headline c', link: 'https://example.com/c', sourceTitle: 'Source B' },
        ]);
        expect(record!.rowIds).toHaveLength(3);
        expect(record!.id).toBe(record!.rowIds[0]);
        expect(await store.countDeliveries()).toMatchObject({ sending: 3, pending: 1 });

        await store.markDeliverySent(record!.rowIds, 555);
        expect(await store.countDeliveries()).toMatchObject({ sent: 3, pending: 1, sending: 0 });
        expect(await store.claimDueDeliveries({ now: new Date(), limit: 10 })).toEqual([]);
        expect(await store.claimDueDeliveries({ now: new Date(later.getTime() + 1), limit: 10 })).toMatchObject([{ kind: 'digest', rowIds: [expect.any(Number)] }]);
      });

      it('never lets a digest waiting for the end of its hour hold back a later post to the same chat', async () => {
        await store.recordItems(sourceId, [item('waits', [digest(-1, later)]), item('now', [post(-1)])]);
        const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
        expect(claimed).toMatchObject({ kind: 'post', headline: 'headline now' });
      });

      it('claims one send per chat at a time: a due post and a due digest of one chat go one after the other', async () => {
        await store.recordItems(sourceId, [item('d', [digest(-1)]), item('p', [post(-1), post(-2)])]);
        const first = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
        expect(first.map((record) => [record.chatId, record.kind])).toEqual([
          [-1, 'digest'],
          [-2, 'post'],
        ]);
        await store.markDeliverySent(first[0]!.rowIds, 1);
        const second = await store.claimDueDeliveries({ now: new Date(), limit: 10, excludeChatIds: [-2] });
        expect(second.map((record) => [record.chatId, record.kind, record.headline])).toEqual([[-1, 'post', 'headline p']]);
      });

      it('keeps a digest per forum topic', async () => {
        await store.recordItems(sourceId, [item('t5', [digest(-1, past, 5)]), item('t9', [digest(-1, past, 9)]), item('t5b', [digest(-1, past, 5)])]);
        const [first] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
        expect(first).toMatchObject({ threadId: 5 });
        expect(first!.items.map((entry) => entry.headline)).toEqual(['headline t5', 'headline t5b']);
        await store.markDeliverySent(first!.rowIds, 1);
        const [second] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
        expect(second).toMatchObject({ threadId: 9, items: [{ headline: 'headline t9' }] });
      });

      it(`gathers at most ${maxDigestRows} rows in one digest; the rest make the next one`, async () => {
        const items = Array.from({ length: maxDigestRows + 5 }, (_, n) => item(`k${n}`, [digest(-1)]));
        await store.recordItems(sourceId, items);
        const [first] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
        expect(first!.rowIds).toHaveLength(maxDigestRows);
        await store.markDeliverySent(first!.rowIds, 1);
        const [rest] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
        expect(rest!.items.map((entry) => entry.headline)).toEqual(['k100', 'k101', 'k102', 'k103', 'k104'].map((key) => `headline ${key}`));
      });

      it('puts some of a digest back and marks the others failed, by row', async () => {
        await store.recordItems(sourceId, [item('a', [digest(-1)]), item('b', [digest(-1)]), item('c', [digest(-1)])]);
        const [record] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
        const [a, b, c] = record!.rowIds;
        await store.markDeliverySent(a!, 7);
        await store.markDeliveryRetry([b!, c!], past, 'Too Many Requests');
        expect(await store.countDeliveries()).toMatchObject({ sent: 1, pending: 2 });
        const [again] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
        expect(again).toMatchObject({ rowIds: [b, c], attempts: 2 });
        await store.markDeliveryFailed(again!.rowIds, 'Bad Request');
        expect(await store.countDeliveries()).toMatchObject({ sent: 1, failed: 2, pending: 0 });
      });

      it('pauses and resumes a chat’s digest rows with its posts', async () => {
        await store.recordItems(sourceId, [item('a', [digest(-1)])]);
        await store.pauseChat(-1, 'kicked');
        expect(await store.claimDueDeliveries({ now: new Date(), limit: 10 })).toEqual([]);
        await store.resumeChat(-1);
        expect(await store.claimDueDeliveries({ now: new Date(), limit: 10 })).toMatchObject([{ kind: 'digest' }]);
      });
    });
  });
}
