import { describe, expect, it } from 'vitest';
import { lexemesOf, toTsQueries, toTsvector } from '../../src/store/postgres/text-search.js';
import type { IndexTerm } from '../../src/store/store.js';

const t = (surface: string, stem = surface, prefix = false, indexForms?: string[]): IndexTerm => ({ surface, stem, prefix, ...(indexForms ? { indexForms } : {}) });
const none = { match: null, excluded: null, matchesNothing: false };

describe('building a PostgreSQL tsquery from an index query (as fts5-query.ts builds FTS5 MATCH)', () => {
  it.each<[string, Parameters<typeof toTsQueries>[0], ReturnType<typeof toTsQueries>]>([
    ['a word alone', { terms: [t('حلب')], phrases: [], excluded: [] }, { ...none, match: "('حلب')" }],
    ['a word, its stem and its prefix', { terms: [t('بخسائرها', 'خسائر', true)], phrases: [], excluded: [] }, { ...none, match: "(('بخسائرها':* | 'خسائر'))" }],
    ['a stem the prefix already covers', { terms: [t('convoys', 'convoy', true), t('convoy', 'convoy', true)], phrases: [], excluded: [] }, { ...none, match: "(('convoys':* | 'convoy')) & ('convoy':*)" }],
    ['a phrase with the stems the index holds between its words', { terms: [], phrases: [[t('بخسائرها', 'خسائر'), t('فادحه', 'فادح')]], excluded: [] }, { ...none, match: "(('بخسائرها' <-> 'خسائر' <-> 'فادحه'))" }],
    ['a phrase over the forms text/ indexed', { terms: [], phrases: [[t('بغزه', 'بغز', false, ['بغزه', 'بغز', 'غزه']), t('اليوم')]], excluded: [] }, { ...none, match: "(('بغزه' <-> 'بغز' <-> 'غزه' <-> 'اليوم'))" }],
    ['an exclusion', { terms: [t('حلب')], phrases: [], excluded: [[t('روسيا')], [t('read'), t('also')]] }, { ...none, match: "(('حلب')) & !('روسيا' | ('read' <-> 'also'))" }],
    ['only an exclusion', { terms: [], phrases: [], excluded: [[t('روسيا')]] }, { ...none, excluded: "'روسيا'" }],
    ['quotes and backslashes inside a word', { terms: [t("it's"), t('a\\b')], phrases: [], excluded: [] }, { ...none, match: "(('it' <-> 's')) & (('a' <-> 'b'))" }],
    ['tsquery operators as words', { terms: [t('and'), t('not'), t('or')], phrases: [], excluded: [] }, { ...none, match: "('and') & ('not') & ('or')" }],
    ['a word with no letter or digit: nothing matches it', { terms: [t('حلب'), t('"')], phrases: [], excluded: [] }, { match: null, excluded: null, matchesNothing: true }],
    ['an exclusion with no letter or digit is left out', { terms: [t('حلب')], phrases: [], excluded: [[t('*')]] }, { ...none, match: "('حلب')" }],
    ['nothing', { terms: [], phrases: [], excluded: [] }, none],
  ])('%s', (_name, query, expected) => {
    expect(toTsQueries(query)).toEqual(expected);
  });
});

describe('the tsvector literal of an item', () => {
  it('puts title words at weight A from position 1 and body words at weight B after a gap', () => {
    expect(toTsvector('Convoy reaches', 'trucks crossed')).toBe("'convoy':1A 'reaches':2A 'trucks':4B 'crossed':5B");
    expect(toTsvector('', 'only body')).toBe("'only':2B 'body':3B");
  });

  it('splits tokens as unicode61 does, quoting what is left', () => {
    expect(lexemesOf("it's a\\b x-y كَتَبَ")).toEqual(['it', 's', 'a', 'b', 'x', 'y', 'ك', 'ت', 'ب']);
    expect(toTsvector("o'neil", '')).toBe("'o':1A 'neil':2A");
  });

  it('keeps positions within what PostgreSQL holds, and cuts a very long word the same way on both sides', () => {
    const body = Array.from({ length: 17_000 }, (_, i) => `w${i}`).join(' ');
    expect(toTsvector('t', body).endsWith("'w16999':16383B")).toBe(true);
    const long = 'x'.repeat(3000);
    expect(lexemesOf(long)[0]).toHaveLength(500);
    expect(toTsQueries({ terms: [t(long)], phrases: [], excluded: [] }).match).toBe(`('${'x'.repeat(500)}')`);
    // A surrogate pair is never cut in half.
    expect(lexemesOf(`${'x'.repeat(499)}\u{1D49C}`)[0]).toBe('x'.repeat(499));
    expect(lexemesOf(`${'x'.repeat(498)}\u{1D49C}`)[0]).toBe(`${'x'.repeat(498)}\u{1D49C}`);
  });
});
