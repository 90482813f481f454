import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNewItems } from '../../src/pipeline/to-new-item.js';
import { searchArticles } from '../../src/search/search-articles.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
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
      { deliver: false },
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
});
