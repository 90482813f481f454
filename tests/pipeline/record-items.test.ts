import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordItemsInChunks } from '../../src/pipeline/record-items.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { NewItem, Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { wordsQuery } from '../store/index-query.js';

function item(key: string): NewItem {
  return { key, headline: `headline ${key}`, link: null, publishedAt: null, searchTitle: `headline ${key}`, searchBody: '' };
}

describe('recording a poll’s new items', () => {
  let store: Store;
  beforeEach(async () => {
    store = createSqliteStore(path.join(makeTempDir(), 'r.sqlite'));
    await store.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    await store.subscribe(-100, 'all', 1);
  });
  afterEach(async () => {
    await store.close();
  });

  it('posts only the newest past the per-poll limit, oldest of them first, and keeps every item searchable', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    const items = Array.from({ length: 530 }, (_, i) => item(`number${i}`));
    const result = await recordItemsInChunks(store, source.id, items, { deliver: true, postLimit: 20 });
    expect(result).toMatchObject({ queuedDeliveries: 20, unposted: 510 });
    expect(result.newItemIds).toHaveLength(530);
    const [first] = await store.claimDueDeliveries({ now: new Date(), limit: 1 });
    expect(first?.headline).toBe('headline number510');
    expect((await store.searchItems(wordsQuery('number0'), { limit: 5 })).map((i) => i.headline)).toEqual(['headline number0']);
    expect((await store.getSource(source.id))?.itemCount).toBe(530);
  });

  it('lets the event loop run between transactions while a large batch is stored', async () => {
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    await recordItemsInChunks(store, source.id, Array.from({ length: 2000 }, (_, i) => item(`k${i}`)), { deliver: false });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
    expect((await store.countDeliveries()).pending).toBe(0);
  });
});
