import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { storePerTest, type StoreBackend } from './backend.js';

/** /manage's open questions ("send me the word"), kept in the store so any process takes the answer. */
export function describeOpenInputs(backend: StoreBackend): void {
  describe('open questions (/manage’s "send me the word")', () => {
    const opened = storePerTest(backend);
    let store: Store;
    const t = Date.parse('2025-03-01T10:00:00Z');
    const at = (ms: number) => new Date(t + ms);
    const channel = -1003000000001;

    beforeEach(async () => {
      store = await opened.open();
    });
    afterEach(() => opened.close());

    it('keeps a question until it expires, one per user, each user’s apart', async () => {
      await store.askForInput(7, { chatId: channel, list: 'include' }, at(1000), at(0));
      await store.askForInput(8, { chatId: -100, list: 'exclude' }, at(5000), at(0));
      expect(await store.openInput(7, at(999))).toEqual({ chatId: channel, list: 'include' });
      expect(await store.openInput(8, at(999))).toEqual({ chatId: -100, list: 'exclude' });
      expect(await store.openInput(9, at(0))).toBeNull();
      // Expired at its instant: a message then is an ordinary message.
      expect(await store.openInput(7, at(1000))).toBeNull();
      expect(await store.openInput(8, at(1000))).toEqual({ chatId: -100, list: 'exclude' });
    });

    it('replaces a user’s earlier question with the new one', async () => {
      await store.askForInput(7, { chatId: channel, list: 'include' }, at(1000), at(0));
      await store.askForInput(7, { chatId: -100, list: 'exclude' }, at(3000), at(10));
      expect(await store.openInput(7, at(2000))).toEqual({ chatId: -100, list: 'exclude' });
    });

    it('closes a question once: the first close says it was open, the next finds none', async () => {
      await store.askForInput(7, { chatId: channel, list: 'include' }, at(1000), at(0));
      await store.askForInput(8, { chatId: channel, list: 'include' }, at(1000), at(0));
      expect(await store.closeInput(7)).toBe(true);
      expect(await store.closeInput(7)).toBe(false);
      expect(await store.openInput(7, at(0))).toBeNull();
      expect(await store.openInput(8, at(0))).toEqual({ chatId: channel, list: 'include' });
      expect(await store.closeInput(99)).toBe(false);
    });

    it('deletes the questions expired by then whenever one is asked, so only recent ones are kept', async () => {
      for (let user = 1; user <= 50; user++) await store.askForInput(user, { chatId: channel, list: 'include' }, at(1000), at(0));
      await store.askForInput(100, { chatId: channel, list: 'include' }, at(9000), at(500));
      // Expired but not yet swept: still there to close.
      expect(await store.closeInput(1)).toBe(true);
      await store.askForInput(101, { chatId: channel, list: 'exclude' }, at(9000), at(1000));
      for (const user of [2, 25, 50]) expect(await store.closeInput(user)).toBe(false);
      expect(await store.openInput(100, at(1000))).toEqual({ chatId: channel, list: 'include' });
      expect(await store.openInput(101, at(1000))).toEqual({ chatId: channel, list: 'exclude' });
    });

    it('keeps an open question across a reopen (another process on the store sees it)', async () => {
      await store.askForInput(7, { chatId: channel, list: 'exclude' }, at(60_000), at(0));
      store = await opened.reopen();
      expect(await store.openInput(7, at(1000))).toEqual({ chatId: channel, list: 'exclude' });
    });
  });
}
