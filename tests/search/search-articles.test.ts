import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNewItems } from '../../src/pipeline/to-new-item.js';
import { searchArticles } from '../../src/search/search-articles.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { seedArticle } from '../helpers/fake-news-site.js';

describe('searching articles', () => {
  let store: Store;

  beforeAll(async () => {
    store = createSqliteStore(path.join(makeTempDir(), 's.sqlite'));
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'مدونة' });
    const seed = seedArticle();
    const html = seed.body
      .split('\n')
      .map((line) => `<p>${line}</p>`)
      .join('');
    await store.recordItems(
      source.id,
      toNewItems([
        { key: 'seed', title: seed.title, link: 'https://blog.example/seed', html, publishedAt: '2020-01-23T10:00:00.000Z' },
        { key: 'convoy', title: 'Aid convoy reaches Idlib', link: 'https://blog.example/convoy', html: '<p>Trucks crossed.</p>', publishedAt: null },
        { key: 'other', title: 'ضابط في جيش الأسد يعرض مليون ليرة', link: 'https://blog.example/other', html: '<p>آلية عسكرية</p>', publishedAt: null },
      ], { signatures: ['مدونة هادي العبد الله'] }),
    );
  });
  afterAll(async () => {
    await store.close();
  });

  const links = async (query: string) => {
    const outcome = await searchArticles(store, query);
    return outcome.kind === 'results' ? outcome.items.map((item) => item.link) : outcome.kind;
  };

  it.each([
    ['خسائر', 'seed'],
    ['خـ.ـسائر', 'seed'],
    ['الثورية', 'seed'],
    ['الثــ؟ورية', 'seed'],
    ['ادلب خسائر', 'seed'],
    ['إدلب الروسية', 'seed'],
    ['AID Convoy', 'convoy'],
    ['مليون ليرة', 'other'],
  ])('finds %s in the article it belongs to', async (query, key) => {
    expect(await links(query)).toEqual([`https://blog.example/${key}`]);
  });

  it('does not match an article on the headline of a "read also" line it carries', async () => {
    // The seed carries "إقرأ أيضاً : ضابط في جيش الأسد يعرض على عناصره مليون ليرة…": only the other article matches.
    expect(await links('عناصره مليون')).toEqual([]);
    expect(await links('ضابط')).toEqual(['https://blog.example/other']);
  });

  it('does not match the blog’s signature line, which every article carries', async () => {
    expect(await links('هادي العبد الله')).toEqual([]);
  });

  it('answers every hostile or empty query with results or "empty", never an error', async () => {
    for (const query of ['', '   ', '"', '"unbalanced', 'NEAR(', 'a AND OR NOT', '* ^ -', 'x'.repeat(3000), '()', ':', '\u200f\u200e']) {
      const outcome = await searchArticles(store, query);
      expect(['results', 'empty']).toContain(outcome.kind);
    }
    expect(await links('')).toBe('empty');
    expect(await links('?!')).toBe('empty');
  });

  it('ignores a stray one-letter word next to real words', async () => {
    expect(await links('و خسائر')).toEqual(['https://blog.example/seed']);
  });

  it('finds a word inside an inflected or prefixed form (stem and prefix)', async () => {
    // The seed's title says "بخسائرها"; its body has the other forms.
    expect(await links('خسائرها')).toEqual(['https://blog.example/seed']);
    expect(await links('convoys')).toEqual(['https://blog.example/convoy']);
  });

  it('answers a phrase only when its words follow one another', async () => {
    expect(await links('"aid convoy"')).toEqual(['https://blog.example/convoy']);
    expect(await links('"convoy aid"')).toEqual([]);
  });

  it('leaves out an article with an excluded word', async () => {
    expect(await links('idlib')).toEqual(['https://blog.example/convoy']);
    expect(await links('idlib -trucks')).toEqual([]);
    expect(await links('-trucks')).toBe('empty');
  });

  it('filters by source and date, and lists the newest when only filters are given', async () => {
    const sourceId = (await store.listSources())[0]!.id;
    expect(await links(`convoy source:${sourceId}`)).toEqual(['https://blog.example/convoy']);
    expect(await links('convoy source:99999')).toEqual([]);
    expect(await links('خسائر before:2020-01-01')).toEqual([]);
    expect(await links('خسائر after:2020-01-01 before:2020-02-01')).toEqual(['https://blog.example/seed']);
    const listed = await searchArticles(store, `source:${sourceId}`);
    expect(listed.kind === 'results' && listed.items).toHaveLength(3);
  });

  it('gives each result a snippet of its text around the words that matched', async () => {
    const outcome = await searchArticles(store, 'trucks');
    expect(outcome).toMatchObject({ kind: 'results', items: [{ snippet: 'Trucks crossed.', snippetMatches: ['Trucks'] }] });
    const seed = await searchArticles(store, 'الثورية');
    expect(seed.kind === 'results' && seed.items[0]!.snippetMatches.length).toBeGreaterThan(0);
    expect(seed.kind === 'results' && seed.items[0]!.snippet.length).toBeLessThanOrEqual(165);
  });

  it('pages through more results than fit on one', async () => {
    const first = await searchArticles(store, `source:${(await store.listSources())[0]!.id}`, { pageSize: 2 });
    expect(first).toMatchObject({ kind: 'results', page: 0, hasMore: true });
    const second = await searchArticles(store, `source:${(await store.listSources())[0]!.id}`, { pageSize: 2, page: 1 });
    expect(second).toMatchObject({ kind: 'results', page: 1, hasMore: false });
    expect(second.kind === 'results' && second.items).toHaveLength(1);
  });
});

describe('prefix matching', () => {
  it('matches a prefix only when whole words fill less than a page', async () => {
    const store = createSqliteStore(path.join(makeTempDir(), 'p.sqlite'));
    try {
      const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
      const entry = (key: string, title: string, publishedAt: string | null = null) => ({ key, title, link: `https://x.example/${key}`, html: '<p>text</p>', publishedAt });
      await store.recordItems(source.id, toNewItems([entry('partial', 'Trucks wait at Bab al-Hawa crossing'), entry('a1', 'Truckers go on strike')]));
      const found = async (query: string) => {
        const outcome = await searchArticles(store, query);
        return outcome.kind === 'results' ? outcome.items.map((item) => item.link) : [];
      };
      // Few whole-word matches: the prefix "truck" also finds "truckers".
      expect(await found('truck')).toHaveLength(2);
      for (let i = 0; i < 5; i++) await store.recordItems(source.id, toNewItems([entry(`t${i}`, `Truck number ${i} crosses`, `2020-01-0${i + 1}T00:00:00.000Z`)]));
      // A page of whole words (and their stems): "truckers", a prefix match only, is left out,
      // though it is the newest of them all.
      const whole = await found('truck');
      expect(whole).toHaveLength(5);
      expect(whole).not.toContain('https://x.example/a1');
    } finally {
      await store.close();
    }
  });
});
