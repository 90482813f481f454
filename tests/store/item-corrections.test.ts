import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { ItemCorrection, NewItem, PlannedDelivery, Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { wordsQuery } from './index-query.js';

// Written against the Store interface only, so the PostgreSQL backend can run the same cases.

const post = (chatId: number): PlannedDelivery => ({ chatId, threadId: null, notBefore: new Date(0), digest: false });
const digestLine = (chatId: number): PlannedDelivery => ({ chatId, threadId: null, notBefore: new Date(0), digest: true });

function item(key: string, headline: string, deliveries: PlannedDelivery[] = []): NewItem & { deliveries: PlannedDelivery[] } {
  return {
    key,
    headline,
    link: `https://example.com/${key}`,
    publishedAt: null,
    searchTitle: headline.toLowerCase(),
    searchBody: 'body words',
    titleHash: `hash-of-${headline}`,
    summary: 'old summary',
    deliveries,
  };
}

const correction = (headline: string, extra: Partial<ItemCorrection> = {}): ItemCorrection => ({
  headline,
  searchTitle: headline.toLowerCase(),
  searchBody: 'body words',
  titleHash: `hash-of-${headline}`,
  ...extra,
});

describe('a source correcting the headline of a stored item (issue 13 §4)', () => {
  let store: Store;
  let sourceId: number;
  const found = async (...words: string[]) => (await store.searchItems(wordsQuery(...words), { limit: 10 })).map((hit) => hit.headline);

  beforeEach(async () => {
    store = createSqliteStore(path.join(makeTempDir(), 'c.sqlite'), { indexPartitionSize: 3 });
    sourceId = (await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' })).source.id;
    for (const chatId of [-1, -2, -3]) {
      await store.upsertChat({ id: chatId, kind: 'channel', title: `c${chatId}`, username: null });
    }
  });
  afterEach(async () => {
    await store.close();
  });

  /** Claims and sends everything due (message ids 500, 501, …), as the delivery worker would. */
  async function sendAll(): Promise<void> {
    let messageId = 500;
    for (;;) {
      const claimed = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
      if (claimed.length === 0) return;
      for (const delivery of claimed) await store.markDeliverySent(delivery.rowIds, messageId++);
    }
  }

  it('finds known items with their id, title hash and first sight, in one call, and leaves unknown keys out', async () => {
    const before = Date.now();
    const { newItemIds } = await store.recordItems(sourceId, [item('a', 'Alpha'), item('b', 'Beta')]);
    const keys = ['a', 'b', 'missing', ...Array.from({ length: 1500 }, (_, i) => `k${i}`)];
    const known = await store.findKnownItems(sourceId, keys);
    expect([...known.keys()].sort()).toEqual(['a', 'b']);
    expect(known.get('a')).toMatchObject({ id: newItemIds[0], titleHash: 'hash-of-Alpha' });
    expect(known.get('a')!.firstSeenAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(known.get('a')!.firstSeenAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await store.findKnownItems(sourceId + 1, ['a'])).toEqual(new Map());
  });

  it('changes the headline, title hash and summary, and the index finds the new words, not the old ones', async () => {
    const { newItemIds } = await store.recordItems(sourceId, [item('a', 'Ceasefire collapses'), item('b', 'Other news')]);
    const result = await store.correctItem(newItemIds[0]!, correction('Ceasefire holds', { summary: 'new summary' }));
    expect(result).toEqual({ found: true, edits: 0 });
    expect(await found('holds')).toEqual(['Ceasefire holds']);
    expect(await found('collapses')).toEqual([]);
    expect((await store.findKnownItems(sourceId, ['a'])).get('a')?.titleHash).toBe('hash-of-Ceasefire holds');
    expect((await store.latestItems(5)).map((latest) => latest.headline)).toContain('Ceasefire holds');
  });

  it('queues an edit of each post already sent, keeps its message id, and leaves digest lines and unsent posts alone', async () => {
    const { newItemIds } = await store.recordItems(sourceId, [item('a', 'Old title', [post(-1), post(-2), digestLine(-3)])]);
    await sendAll();
    await store.recordItems(sourceId, [item('b', 'Second', [post(-1)])]);
    const itemId = newItemIds[0]!;
    const { edits } = await store.correctItem(itemId, correction('New title'));
    expect(edits).toBe(2);
    const claimed = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    const edited = claimed.filter((delivery) => delivery.itemId === itemId);
    expect(edited.map((delivery) => delivery.chatId).sort((a, b) => a - b)).toEqual([-2, -1]);
    for (const delivery of edited) {
      expect(delivery.kind).toBe('post');
      expect(delivery.headline).toBe('New title');
      expect(delivery.editMessageId).toBeGreaterThanOrEqual(500);
    }
    // The edit keeps its place in the chat's order: it goes before the newer post to -1.
    expect(claimed.find((delivery) => delivery.chatId === -1)?.itemId).toBe(itemId);
    for (const delivery of edited) await store.markDeliveryEdited(delivery.id, null);
    const next = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(next.map((delivery) => [delivery.chatId, delivery.headline, delivery.editMessageId ?? null])).toEqual([[-1, 'Second', null]]);
  });

  it('needs nothing for a post not sent yet: it is sent with the corrected headline, as a post', async () => {
    const { newItemIds } = await store.recordItems(sourceId, [item('a', 'Old title', [post(-1)])]);
    expect((await store.correctItem(newItemIds[0]!, correction('New title'))).edits).toBe(0);
    const [delivery] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(delivery).toMatchObject({ headline: 'New title', editMessageId: null });
  });

  it('edits after the send a post that was being sent when the correction came', async () => {
    const { newItemIds } = await store.recordItems(sourceId, [item('a', 'Old title', [post(-1)])]);
    const [sending] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(sending!.headline).toBe('Old title');
    expect((await store.correctItem(newItemIds[0]!, correction('New title'))).edits).toBe(0);
    await store.markDeliverySent(sending!.rowIds, 777);
    const [edit] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(edit).toMatchObject({ id: sending!.id, headline: 'New title', editMessageId: 777, attempts: 1 });
    // A correction during the edit itself queues one more edit once this one is over.
    await store.correctItem(newItemIds[0]!, correction('Newer title'));
    await store.markDeliveryEdited(edit!.id, null);
    const [again] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(again).toMatchObject({ headline: 'Newer title', editMessageId: 777 });
    await store.markDeliveryEdited(again!.id, null);
    expect(await store.claimDueDeliveries({ now: new Date(), limit: 10 })).toEqual([]);
    expect((await store.countDeliveries()).sent).toBe(1);
  });

  it('records an edit Telegram refused for good on a row that stays sent, never to be posted again', async () => {
    const { newItemIds } = await store.recordItems(sourceId, [item('a', 'Old title', [post(-1)])]);
    await sendAll();
    await store.correctItem(newItemIds[0]!, correction('New title'));
    const [edit] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    await store.markDeliveryEdited(edit!.id, 'Bad Request: message to edit not found');
    expect(await store.countDeliveries()).toMatchObject({ sent: 1, pending: 0, sending: 0, failed: 0 });
    expect(await store.claimDueDeliveries({ now: new Date(), limit: 10 })).toEqual([]);
  });

  it('holds the edit of a post in a paused chat until the chat is resumed', async () => {
    const { newItemIds } = await store.recordItems(sourceId, [item('a', 'Old title', [post(-1)])]);
    await sendAll();
    await store.pauseChat(-1, 'bot was kicked');
    expect((await store.correctItem(newItemIds[0]!, correction('New title'))).edits).toBe(1);
    expect(await store.claimDueDeliveries({ now: new Date(), limit: 10 })).toEqual([]);
    expect((await store.countDeliveries()).paused).toBe(1);
    await store.resumeChat(-1);
    const [edit] = await store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(edit).toMatchObject({ headline: 'New title', editMessageId: 500 });
  });

  it('counts an edit as waiting since it was queued again, not since its post was', async () => {
    const { newItemIds } = await store.recordItems(sourceId, [item('a', 'Old title', [post(-1)])]);
    await sendAll();
    const queued = Date.now();
    await store.correctItem(newItemIds[0]!, correction('New title'));
    expect((await store.oldestWaitingDeliveryAt())!.getTime()).toBeGreaterThanOrEqual(queued - 5);
  });

  it('rewrites the entry in an index rebuild under way, so the rebuilt index has the corrected words', async () => {
    const { newItemIds } = await store.recordItems(sourceId, ['a', 'b', 'c', 'd', 'e'].map((key) => item(key, `Story ${key} original`)));
    const rebuild = await store.beginIndexRebuild(99);
    // Half the rebuild is done; the corrected item is in the half already written.
    const texts = await store.listItemTexts(0, rebuild.untilId, 3);
    await store.writeIndexBatch(texts.map((text) => ({ id: text.id, title: text.headline.toLowerCase(), body: '' })), texts.at(-1)!.id);
    await store.correctItem(newItemIds[1]!, correction('Story b amended'));
    const rest = await store.listItemTexts(texts.at(-1)!.id, rebuild.untilId, 10);
    await store.writeIndexBatch(rest.map((text) => ({ id: text.id, title: text.headline.toLowerCase(), body: '' })), rebuild.untilId);
    expect(await found('amended')).toEqual(['Story b amended']);
    await store.finishIndexRebuild();
    expect(await found('amended')).toEqual(['Story b amended']);
    expect((await found('original')).sort()).toEqual(['Story a original', 'Story c original', 'Story d original', 'Story e original']);
  });

  it('queues no edit when the new title makes the same headline and summary (only its markup changed)', async () => {
    const { newItemIds } = await store.recordItems(sourceId, [item('a', 'Same title', [post(-1)])]);
    await sendAll();
    const result = await store.correctItem(newItemIds[0]!, { ...correction('Same title', { summary: 'old summary' }), titleHash: 'another-hash' });
    expect(result).toEqual({ found: true, edits: 0 });
    expect(await store.claimDueDeliveries({ now: new Date(), limit: 10 })).toEqual([]);
    expect((await store.findKnownItems(sourceId, ['a'])).get('a')?.titleHash).toBe('another-hash');
    // A changed summary alone is worth an edit (the summary style shows it).
    expect((await store.correctItem(newItemIds[0]!, correction('Same title', { summary: 'new summary' }))).edits).toBe(1);
  });

  it('changes nothing for an item that is gone', async () => {
    expect(await store.correctItem(12345, correction('Nothing'))).toEqual({ found: false, edits: 0 });
    expect(await found('nothing')).toEqual([]);
  });
});
