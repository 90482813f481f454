import { describe, expect, it } from 'vitest';
import { mayTurnPages, pageButtonData, parsePageButtonData, SearchPageStore, type SearchAsker } from '../../src/bot/search-pages.js';

function clock(start = 1_000_000) {
  const time = { now: start };
  return { time, now: () => time.now };
}

describe('the page-state store of paged search answers', () => {
  it('keeps the query on the server and gives the button a short id that fits callback_data', () => {
    const pages = new SearchPageStore();
    const query = 'خسائر '.repeat(500);
    const id = pages.create(query, 42, { kind: 'user', userId: 9 });
    pages.bind(id, 7);
    const data = pageButtonData(id, 19);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(data).not.toContain('خسائر');
    expect(parsePageButtonData(data)).toEqual({ id, page: 19 });
    const found = pages.lookup(id, 42, 7);
    expect(found.kind).toBe('found');
    expect(found.kind === 'found' && found.state.query).toBe(query);
  });

  it('gives every answer a different id', () => {
    const pages = new SearchPageStore();
    const ids = new Set(Array.from({ length: 1000 }, () => pages.create('q', 1, { kind: 'user', userId: 9 })));
    expect(ids.size).toBe(1000);
  });

  it('says a page has expired once its time is up, and forgets it', () => {
    const { time, now } = clock();
    const pages = new SearchPageStore({ ttlMs: 60_000, now });
    const id = pages.create('q', 1, { kind: 'user', userId: 9 });
    pages.bind(id, 5);
    time.now += 59_999;
    expect(pages.lookup(id, 1, 5).kind).toBe('found');
    time.now += 1;
    expect(pages.lookup(id, 1, 5).kind).toBe('expired');
    expect(pages.size).toBe(0);
  });

  it('drops expired answers as new ones come, so idle memory does not grow', () => {
    const { time, now } = clock();
    const pages = new SearchPageStore({ ttlMs: 1000, now });
    for (let index = 0; index < 50; index++) pages.create('q', index, { kind: 'user', userId: 9 });
    time.now += 1000;
    pages.create('fresh', 1, { kind: 'user', userId: 9 });
    expect(pages.size).toBe(1);
  });

  it('holds at most its cap, pushing out the oldest answers first', () => {
    const pages = new SearchPageStore({ maxEntries: 3 });
    const ids = ['a', 'b', 'c', 'd'].map((query, index) => {
      const id = pages.create(query, index, { kind: 'user', userId: 9 });
      pages.bind(id, 100 + index);
      return id;
    });
    expect(pages.size).toBe(3);
    expect(pages.lookup(ids[0]!, 0, 100).kind).toBe('expired');
    expect(pages.lookup(ids[3]!, 3, 103).kind).toBe('found');
  });

  it('works only for the message the answer was sent as', () => {
    const pages = new SearchPageStore();
    const id = pages.create('q', 10, { kind: 'user', userId: 9 });
    expect(pages.lookup(id, 10, 1).kind).toBe('foreign'); // not sent yet
    pages.bind(id, 1);
    expect(pages.lookup(id, 10, 2).kind).toBe('foreign');
    expect(pages.lookup(id, 11, 1).kind).toBe('foreign');
    expect(pages.lookup(id, 10, 1).kind).toBe('found');
  });

  it.each([
    ['sp:abc:1'],
    ['sp:abcdefgh:'],
    ['sp:abcdefgh:-1'],
    ['sp:abcdefgh:12345'],
    ['sp:abcdefgh:1:extra'],
    ['sp:abc/efgh:1'],
    ['other:abcdefgh:1'],
  ])('refuses the malformed button data %s', (data) => {
    expect(parsePageButtonData(data)).toBeNull();
  });
});

describe('who may turn the pages of a search answer', () => {
  const admins = new Set([30]);
  const isChatAdmin = async (userId: number) => admins.has(userId);
  it.each<[string, SearchAsker, number, boolean]>([
    ['the user who searched', { kind: 'user', userId: 10 }, 10, true],
    ['another user, even an administrator', { kind: 'user', userId: 10 }, 30, false],
    ['an administrator, when the chat itself searched', { kind: 'chat' }, 30, true],
    ['anyone else, when the chat itself searched', { kind: 'chat' }, 10, false],
  ])('%s', async (_who, askedBy, presser, allowed) => {
    expect(await mayTurnPages(askedBy, presser, isChatAdmin)).toBe(allowed);
  });

  it('asks Telegram about administrators only when the chat itself searched', async () => {
    let asked = 0;
    const counting = async (userId: number) => {
      asked += 1;
      return admins.has(userId);
    };
    await mayTurnPages({ kind: 'user', userId: 10 }, 20, counting);
    expect(asked).toBe(0);
    await mayTurnPages({ kind: 'chat' }, 20, counting);
    expect(asked).toBe(1);
  });
});
