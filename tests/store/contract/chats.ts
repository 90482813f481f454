import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAndQueuePosts } from '../../../src/pipeline/record-items.js';
import { defaultChatSettings, type NewItem, type Store, type SubscriptionRecord } from '../../../src/store/store.js';
import { storePerTest, type StoreBackend } from './backend.js';

function item(key: string): NewItem {
  return { key, headline: `headline ${key}`, link: `https://example.com/${key}`, publishedAt: null, searchTitle: key, searchBody: '' };
}

/** Chats, their subscriptions (forum topics, pauses, upgrades) and their settings. */
export function describeChats(backend: StoreBackend): void {
  describe('chats and subscriptions (issue 13)', () => {
    const opened = storePerTest(backend);
    let store: Store;
    let sourceId: number;

    beforeEach(async () => {
      store = await opened.open();
      sourceId = (await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' })).source.id;
      await store.upsertChat({ id: -100, kind: 'supergroup', title: 'Forum', username: null });
    });
    afterEach(() => opened.close());

    it('keeps the forum topic of a subscription and carries it on every claimed delivery', async () => {
      await store.subscribe(-100, 'all', 1, { threadId: 42 });
      expect((await store.listSubscriptions(-100))[0]?.threadId).toBe(42);
      await recordAndQueuePosts(store, sourceId, [item('a')]);
      const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
      expect(claimed).toMatchObject({ chatId: -100, threadId: 42 });
    });

    it('posts to the chat itself (no topic) when the subscription was made outside any topic', async () => {
      await store.subscribe(-100, [sourceId], 1);
      await recordAndQueuePosts(store, sourceId, [item('a')]);
      const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
      expect(claimed?.threadId).toBeNull();
    });

    it('moves a subscription to the topic it is subscribed from again, without adding a second one', async () => {
      await store.subscribe(-100, [sourceId], 1, { threadId: 5 });
      const again = await store.subscribe(-100, [sourceId], 1, { threadId: 9 });
      expect(again.added).toEqual([]);
      const subs = await store.listSubscriptions(-100);
      expect(subs.map((sub) => sub.threadId)).toEqual([9]);
    });

    it('keeps one "every source" subscription per chat, listed first, and removes subscriptions one by one or all', async () => {
      const other = (await store.addSource({ url: 'v', feedUrl: 'v', title: 'T' })).source.id;
      expect(await store.subscribe(-100, [other, sourceId], 7)).toEqual({ added: [other, sourceId] });
      expect(await store.subscribe(-100, 'all', 7)).toEqual({ added: [null] });
      expect(await store.subscribe(-100, 'all', 8)).toEqual({ added: [] });
      expect((await store.listSubscriptions(-100)).map((sub) => [sub.sourceId, sub.sourceTitle, sub.subscribedBy])).toEqual([
        [null, null, 7],
        [sourceId, 'S', 7],
        [other, 'T', 7],
      ]);
      expect(await store.unsubscribe(-100, [sourceId, 999])).toEqual({ removed: 1 });
      expect(await store.unsubscribe(-100, 'all')).toEqual({ removed: 2 });
      expect(await store.listSubscriptions(-100)).toEqual([]);
    });

    it('changes which sources a chat receives in one call: drop all, add, remove, credited and in the topic given', async () => {
      const other = (await store.addSource({ url: 'v', feedUrl: 'v', title: 'T' })).source.id;
      await store.subscribe(-100, 'all', 7, { threadId: 3 });
      // "All" off, every source kept one by one.
      expect(await store.setChatSources(-100, { dropAll: true, add: [sourceId, other] }, { subscribedBy: 7, threadId: 3 })).toEqual({
        added: [sourceId, other],
        removed: 1,
      });
      const row = (sub: SubscriptionRecord) => [sub.sourceId, sub.subscribedBy, sub.threadId];
      expect((await store.listSubscriptions(-100)).map(row)).toEqual([
        [sourceId, 7, 3],
        [other, 7, 3],
      ]);
      // One source off.
      expect(await store.setChatSources(-100, { remove: [other] }, { subscribedBy: 7, threadId: 3 })).toEqual({ added: [], removed: 1 });
      expect((await store.listSubscriptions(-100)).map(row)).toEqual([[sourceId, 7, 3]]);
      // "All" on: the sources named before go, "all" covers them; a source already there moves to the topic.
      expect(await store.setChatSources(-100, { add: 'all', remove: [sourceId] }, { subscribedBy: 8 })).toEqual({ added: [null], removed: 1 });
      expect((await store.listSubscriptions(-100)).map(row)).toEqual([[null, 8, null]]);
      expect(await store.setChatSources(-100, { add: [other] }, { subscribedBy: 8, threadId: 9 })).toEqual({ added: [other], removed: 0 });
      expect(await store.setChatSources(-100, { add: [other] }, { subscribedBy: 8, threadId: 4 })).toEqual({ added: [], removed: 0 });
      expect((await store.listSubscriptions(-100)).map(row)).toEqual([
        [null, 8, null],
        [other, 8, 4],
      ]);
    });

    it('leaves a paused chat paused, its waiting posts too, when its sources change (subscribe would resume it)', async () => {
      await store.upsertChat({ id: -200, kind: 'channel', title: 'Running', username: null });
      await store.subscribe(-100, 'all', 1);
      await store.subscribe(-200, 'all', 1);
      await recordAndQueuePosts(store, sourceId, [item('a'), item('b')]);
      await store.pauseChat(-100, 'paused by an admin');

      const other = (await store.addSource({ url: 'v', feedUrl: 'v', title: 'T' })).source.id;
      await store.setChatSources(-100, { dropAll: true, add: [sourceId, other] }, { subscribedBy: 1 });
      await store.setChatSources(-100, { add: 'all', remove: [other] }, { subscribedBy: 1 });
      await store.setChatSources(-200, { dropAll: true, add: [sourceId] }, { subscribedBy: 1 });
      expect(await store.chatPausedReason(-100)).toBe('paused by an admin');
      expect(await store.chatPausedReason(-200)).toBeNull();
      expect((await store.listSubscriptions(-100)).map((sub) => [sub.sourceId, sub.paused])).toEqual([
        [null, true],
        [sourceId, true],
      ]);
      expect(await store.countDeliveries()).toMatchObject({ paused: 2, pending: 2 });
      // Only the running chat's posts are claimed; the paused chat gets none, and no new ones.
      expect((await store.claimDueDeliveries({ now: new Date(), limit: 10 })).map((d) => d.chatId)).toEqual([-200]);
      expect((await recordAndQueuePosts(store, sourceId, [item('c')])).queuedDeliveries).toBe(1);
    });

    it('changes nothing when any part of a change fails (a source that does not exist)', async () => {
      await store.subscribe(-100, 'all', 7);
      await store.pauseChat(-100, 'paused by an admin');
      await expect(store.setChatSources(-100, { dropAll: true, add: [sourceId, 987654] }, { subscribedBy: 7 })).rejects.toThrow();
      expect((await store.listSubscriptions(-100)).map((sub) => [sub.sourceId, sub.subscribedBy])).toEqual([[null, 7]]);
      expect(await store.chatPausedReason(-100)).toBe('paused by an admin');
    });

    it('lists the chats a user subscribed, each with its subscriptions', async () => {
      await store.upsertChat({ id: -200, kind: 'channel', title: 'News', username: 'news' });
      await store.subscribe(-200, [sourceId], 7);
      await store.subscribe(-100, 'all', 7);
      await store.subscribe(-100, [sourceId], 8);
      const chats = await store.listChatsSubscribedBy(7);
      expect(chats.map(({ chat, subscriptions }) => [chat, subscriptions.map((sub) => sub.sourceId)])).toEqual([
        [{ id: -200, kind: 'channel', title: 'News', username: 'news' }, [sourceId]],
        [{ id: -100, kind: 'supergroup', title: 'Forum', username: null }, [null, sourceId]],
      ]);
      expect(await store.listChatsSubscribedBy(9)).toEqual([]);
      // upsertChat changes what Telegram says about a chat.
      await store.upsertChat({ id: -200, kind: 'channel', title: 'News 2', username: null });
      expect(await store.getChat(-200)).toEqual({ id: -200, kind: 'channel', title: 'News 2', username: null });
    });

    it('posts an item once to a chat subscribed both to its source and to all, in the topic that names the source', async () => {
      await store.subscribe(-100, 'all', 1, { threadId: 1 });
      await store.subscribe(-100, [sourceId], 1, { threadId: 7 });
      const { queuedDeliveries } = await recordAndQueuePosts(store, sourceId, [item('a')]);
      expect(queuedDeliveries).toBe(1);
      const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
      expect(claimed?.threadId).toBe(7);
    });

    it('resumes a paused chat with its paused posts, none lost, and queues new ones again', async () => {
      await store.subscribe(-100, 'all', 1);
      await recordAndQueuePosts(store, sourceId, [item('a'), item('b')]);
      await store.pauseChat(-100, 'the bot may not post');
      expect(await store.chatPausedReason(-100)).toBe('the bot may not post');
      expect((await store.countDeliveries()).paused).toBe(2);
      expect(await store.claimDueDeliveries({ now: new Date(), limit: 10 })).toEqual([]);

      await store.resumeChat(-100);
      expect(await store.chatPausedReason(-100)).toBeNull();
      expect((await store.listSubscriptions(-100))[0]?.paused).toBe(false);
      expect(await store.countDeliveries()).toMatchObject({ pending: 2, paused: 0 });
      expect((await recordAndQueuePosts(store, sourceId, [item('c')])).queuedDeliveries).toBe(1);
      const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
      expect(claimed?.headline).toBe('headline a');
    });

    it('says a chat it does not know is not paused', async () => {
      expect(await store.chatPausedReason(-999)).toBeNull();
    });

    it('moves a group upgraded to a supergroup with its topics and waiting posts', async () => {
      await store.upsertChat({ id: -5, kind: 'group', title: 'Small', username: null });
      await store.subscribe(-5, [sourceId], 1);
      await recordAndQueuePosts(store, sourceId, [item('a')]);
      await store.migrateChat(-5, -1005);
      expect(await store.getChat(-5)).toBeNull();
      expect((await store.getChat(-1005))?.kind).toBe('supergroup');
      expect((await store.listSubscriptions(-1005)).map((sub) => sub.sourceId)).toEqual([sourceId]);
      // A second migration message (migrate_from_chat_id in the new group) changes nothing.
      await store.migrateChat(-5, -1005);
      expect(await store.listSubscriptions(-1005)).toHaveLength(1);
      const [claimed] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
      expect(claimed).toMatchObject({ chatId: -1005, chatKind: 'supergroup', threadId: null });
    });
  });

  describe('chat settings', () => {
    const opened = storePerTest(backend);
    let store: Store;
    beforeEach(async () => {
      store = await opened.open();
    });
    afterEach(() => opened.close());

    it('gives the defaults for a chat that never changed anything, and for an unknown chat', async () => {
      await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
      expect(await store.getChatSettings(-100)).toEqual(defaultChatSettings);
      expect(await store.getChatSettings(-999)).toEqual(defaultChatSettings);
    });

    it('keeps a change across a reopen and leaves the other settings alone', async () => {
      await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
      const changed = await store.updateChatSettings(-100, { digest: 'daily', includeWords: ['غزه'], silent: true });
      expect(changed).toMatchObject({ digest: 'daily', includeWords: ['غزه'], silent: true, style: 'headline' });
      store = await opened.reopen();
      expect(await store.getChatSettings(-100)).toEqual(changed);
      // Another chat is untouched.
      await store.upsertChat({ id: -200, kind: 'group', title: 'G', username: null });
      expect(await store.getChatSettings(-200)).toEqual(defaultChatSettings);
    });

    it('applies a change that depends on the settings to them as they are when written, so changes made at once all land', async () => {
      await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
      const words = Array.from({ length: 12 }, (_, index) => `word${index}`);
      await Promise.all(words.map((word) => store.updateChatSettings(-100, (current) => ({ includeWords: [...current.includeWords, word] }))));
      expect([...(await store.getChatSettings(-100)).includeWords].sort()).toEqual([...words].sort());
      // The function sees a copy: changing it in place changes nothing but what it returns.
      const after = await store.updateChatSettings(-100, (current) => {
        current.includeWords.length = 0;
        return { silent: true };
      });
      expect(after.includeWords).toHaveLength(12);
      expect(after.silent).toBe(true);
    });

    it('refuses a value out of bounds and an unknown chat, changing nothing', async () => {
      await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
      await expect(store.updateChatSettings(-100, { burstLimit: 0 })).rejects.toThrow(/burstLimit/);
      await expect(store.updateChatSettings(-100, { digest: 'weekly' as never })).rejects.toThrow(/digest/);
      await expect(store.updateChatSettings(-5, { silent: true })).rejects.toThrow(/unknown chat/);
      expect(await store.getChatSettings(-100)).toEqual(defaultChatSettings);
    });

    it('follows a group that became a supergroup', async () => {
      await store.upsertChat({ id: -1, kind: 'group', title: 'G', username: null });
      await store.updateChatSettings(-1, { language: 'ar' });
      await store.migrateChat(-1, -1001);
      expect((await store.getChatSettings(-1001)).language).toBe('ar');
    });
  });
}
