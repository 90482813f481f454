import { describe, expect, it } from 'vitest';
import { toFts5Match } from '../../src/store/sqlite/fts5-query.js';
import type { IndexTerm } from '../../src/store/store.js';

const t = (surface: string, stem = surface, prefix = false): IndexTerm => ({ surface, stem, prefix });

describe('building an FTS5 MATCH expression from an index query', () => {
  it.each<[string, Parameters<typeof toFts5Match>[0], { match: string | null; excluded: string | null }]>([
    ['a word alone', { terms: [t('حلب')], phrases: [], excluded: [] }, { match: '("حلب")', excluded: null }],
    ['a word, its stem and its prefix', { terms: [t('بخسائرها', 'خسائر', true)], phrases: [], excluded: [] }, { match: '(("بخسائرها"* OR "خسائر"))', excluded: null }],
    ['a stem the prefix already covers', { terms: [t('convoys', 'convoy', true), t('convoy', 'convoy', true)], phrases: [], excluded: [] }, { match: '(("convoys"* OR "convoy")) AND ("convoy"*)', excluded: null }],
    ['a phrase with the stems the index holds between its words', { terms: [], phrases: [[t('بخسائرها', 'خسائر'), t('فادحه', 'فادح')]], excluded: [] }, { match: '("بخسائرها خسائر فادحه")', excluded: null }],
    ['an exclusion', { terms: [t('حلب')], phrases: [], excluded: [[t('روسيا')], [t('read'), t('also')]] }, { match: '(("حلب")) NOT ("روسيا" OR "read also")', excluded: null }],
    ['only an exclusion', { terms: [], phrases: [], excluded: [[t('روسيا')]] }, { match: null, excluded: '"روسيا"' }],
    ['quotes inside a word', { terms: [t('a"b')], phrases: [], excluded: [] }, { match: '("a""b")', excluded: null }],
    ['FTS5 keywords as words', { terms: [t('near'), t('and'), t('not')], phrases: [], excluded: [] }, { match: '("near") AND ("and") AND ("not")', excluded: null }],
    ['nothing', { terms: [], phrases: [], excluded: [] }, { match: null, excluded: null }],
  ])('%s', (_name, query, expected) => {
    expect(toFts5Match(query)).toEqual(expected);
  });
});
