import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { wordsQuery } from '../index-query.js';
import { item, storePerTest, type StoreBackend } from './backend.js';

/** Sources and their schedule. */
export function describeSources(backend: StoreBackend): void {
  describe('sources', () => {
    const opened = storePerTest(backend);
    let store: Store;
    beforeEach(async () => {
      store = await opened.open();
    });
    afterEach(() => opened.close());

    it('keeps data across a reopen', async () => {
      const { source } = await store.addSource({ url: 'https://a.example/feed', feedUrl: 'https://a.example/feed', title: 'A' });
      store = await opened.reopen();
      expect((await store.getSource(source.id))?.title).toBe('A');
    });

    it('adds a source once: the same URL twice changes nothing', async () => {
      const first = await store.addSource({ url: 'https://a.example/feed', feedUrl: 'https://a.example/feed', title: 'A' });
      const second = await store.addSource({ url: 'https://a.example/feed', feedUrl: 'https://a.example/feed', title: 'B' });
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.source.id).toBe(first.source.id);
      expect(await store.listSources()).toHaveLength(1);
    });

    it('finds a source by the URL given or by the feed URL polled', async () => {
      const { source } = await store.addSource({ url: 'https://a.example/', feedUrl: 'https://a.example/feed.xml', title: 'A' });
      expect((await store.findSourceByUrl('https://a.example/'))?.id).toBe(source.id);
      expect((await store.findSourceByUrl('https://a.example/feed.xml'))?.id).toBe(source.id);
      expect(await store.findSourceByUrl('https://b.example/')).toBeNull();
      expect(await store.getSource(source.id + 1000)).toBeNull();
      expect(source).toMatchObject({ state: 'active', itemCount: 0, consecutiveFailures: 0, fullText: false, floodNoticed: false, intervalSeconds: null });
      expect(source.addedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('keeps each source’s schedule: due sources only, failures counted, paused and retired ones left out', async () => {
      const { source: a } = await store.addSource({ url: 'a', feedUrl: 'a', title: 'A' });
      const { source: b } = await store.addSource({ url: 'b', feedUrl: 'b', title: 'B' });
      const { source: c } = await store.addSource({ url: 'c', feedUrl: 'c', title: 'C' });
      const now = new Date();
      const later = new Date(now.getTime() + 60_000);
      expect((await store.listDueSources(now, 10)).map((s) => s.id)).toEqual([a.id, b.id, c.id]);

      await store.recordPollOutcome(a.id, { ok: true, nextPollAt: later, bodyHash: 'h1', format: 'rss', ttlMinutes: 15, newItems: 2 });
      await store.recordPollOutcome(b.id, { ok: false, error: 'HTTP 500', nextPollAt: later });
      await store.recordPollOutcome(c.id, { ok: false, error: 'HTTP 410', state: 'retired' });
      expect(await store.listDueSources(now, 10)).toEqual([]);
      expect((await store.listDueSources(later, 10)).map((s) => s.id)).toEqual([a.id, b.id]);

      const polledA = (await store.getSource(a.id))!;
      expect(polledA).toMatchObject({ bodyHash: 'h1', format: 'rss', ttlMinutes: 15, state: 'active' });
      expect(polledA.lastNewItemAt).not.toBeNull();
      expect(polledA.nextPollAt.getTime()).toBe(later.getTime());
      // An unparsed (unchanged) poll keeps what the last parse said.
      await store.recordPollOutcome(a.id, { ok: true, nextPollAt: later });
      expect((await store.getSource(a.id))?.ttlMinutes).toBe(15);
      expect(await store.getSource(b.id)).toMatchObject({ consecutiveFailures: 1, lastError: 'HTTP 500' });
      expect(await store.getSource(c.id)).toMatchObject({ state: 'retired', stateReason: 'HTTP 410' });

      // A bot admin resumes it: failures cleared, due at once.
      await store.setSourceState(c.id, 'active', null);
      expect(await store.getSource(c.id)).toMatchObject({ state: 'active', consecutiveFailures: 1 - 1, stateReason: null });
      expect((await store.listDueSources(now, 10)).map((s) => s.id)).toEqual([c.id]);
    });

    it('follows a feed that moved for good, keeps a title it already has, and notes flooding', async () => {
      const { source } = await store.addSource({ url: 'a', feedUrl: 'a', title: null });
      await store.recordPollOutcome(source.id, { ok: true, feedUrl: 'a2', title: 'Feed title', etag: '"e1"', lastModified: 'Mon', floodPolls: 2 });
      await store.recordPollOutcome(source.id, { ok: true, title: 'Another title' });
      expect(await store.getSource(source.id)).toMatchObject({ feedUrl: 'a2', title: 'Feed title', etag: '"e1"', lastModified: 'Mon', floodPolls: 2 });
      await store.markSourceFloodNoticed(source.id);
      expect(await store.setSourceFullText(source.id, true)).toBe(true);
      expect(await store.getSource(source.id)).toMatchObject({ floodNoticed: true, fullText: true });
      expect(await store.setSourceFullText(source.id + 1000, true)).toBe(false);
      expect(await store.setSourceState(source.id + 1000, 'paused', 'x')).toBe(false);
    });

    it('moves the next poll sooner when an admin sets a shorter interval, never later', async () => {
      const { source } = await store.addSource({ url: 'a', feedUrl: 'a', title: 'A' });
      const inADay = new Date(Date.now() + 86_400_000);
      await store.recordPollOutcome(source.id, { ok: true, nextPollAt: inADay });
      await store.setSourceInterval(source.id, 600);
      const after = (await store.getSource(source.id))!;
      expect(after.intervalSeconds).toBe(600);
      expect(after.nextPollAt.getTime()).toBeLessThanOrEqual(Date.now() + 600_000);
      await store.setSourceInterval(source.id, null);
      expect((await store.getSource(source.id))?.intervalSeconds).toBeNull();
      expect(await store.setSourceInterval(999, 60)).toBe(false);
    });

    it('removes a source with its items and their index entries', async () => {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      await store.recordItems(source.id, [item('1', 'خسائر')]);
      expect(await store.removeSource(source.id)).toBe(true);
      expect(await store.searchItems(wordsQuery('خسائر'), { limit: 5 })).toEqual([]);
      expect(await store.latestItems(5)).toEqual([]);
      expect(await store.removeSource(source.id)).toBe(false);
    });
  });
}
