import { describe, expect, it } from 'vitest';
import { makeSnippet, snippetLength } from '../../src/search/make-snippet.js';
import type { IndexTerm } from '../../src/store/store.js';

const t = (surface: string, stem = surface, prefix = [...surface].length >= 4): IndexTerm => ({ surface, stem, prefix });

describe('making a snippet', () => {
  const filler = 'كلام عام عن الطقس والأسواق في المدينة اليوم. '.repeat(10);
  const text = `${filler}أعلنت وزارة الدفاع عن خسائر فادحة في المعارك.\n${filler}`;

  it('shows the words around the first match, cut at word boundaries with "…"', () => {
    const { snippet, snippetMatches } = makeSnippet(text, [t('خسائر')]);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('عن خسائر فادحة');
    expect(snippet.length).toBeLessThanOrEqual(snippetLength + 2);
    expect(snippetMatches).toEqual(['خسائر']);
    // Whole words only: the text between the ellipses starts and ends on a word of the text.
    const inner = snippet.slice(1, -1);
    expect(text.replace(/\s+/g, ' ')).toContain(inner);
    expect(` ${text.replace(/\s+/g, ' ')} `).toContain(` ${inner} `);
  });

  it('lists the words that matched as they appear, by surface, stem or prefix', () => {
    const { snippetMatches } = makeSnippet('روسيا تقر بخسائرها في إدلب وتعلن خسائر جديدة', [t('خسائر'), t('ادلب')]);
    expect(snippetMatches).toEqual(['بخسائرها', 'إدلب', 'خسائر']);
    expect(makeSnippet('Aid convoys reached the city', [t('convoy')]).snippetMatches).toEqual(['convoys']);
  });

  it('starts at the beginning when only the title matched, and is empty without text', () => {
    expect(makeSnippet('قصير', [t('حلب')])).toEqual({ snippet: 'قصير', snippetMatches: [] });
    expect(makeSnippet(null, [t('حلب')])).toEqual({ snippet: '', snippetMatches: [] });
    expect(makeSnippet('', [])).toEqual({ snippet: '', snippetMatches: [] });
  });

  it('keeps bidi and control characters of feed text out of the snippet', () => {
    const { snippet } = makeSnippet('خسائر\u202E مقلوبة\u0007 هنا', [t('خسائر')]);
    expect(snippet).not.toMatch(/[\u202E\u0007]/);
  });

  it('never cuts a character in two in a text without spaces', () => {
    const { snippet } = makeSnippet('😀'.repeat(500), []);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('takes linear time on a long hostile text', () => {
    const started = performance.now();
    makeSnippet('ـ.ـ'.repeat(200_000), [t('خسائر')]);
    makeSnippet(`${'x'.repeat(1_000_000)}`, [t('خسائر')]);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
