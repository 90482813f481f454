import { describe, expect, it } from 'vitest';
import { maxQueryLength, parseDay, parseQuery, type ParsedQuery } from '../../src/search/parse-query.js';

const plain = (words: string[], extra: Partial<ParsedQuery> = {}): ParsedQuery => ({ words, phrases: [], excluded: [], ...extra });

describe('parsing a search query', () => {
  it.each<[string, ParsedQuery]>([
    ['خسائر ادلب', plain(['خسائر', 'ادلب'])],
    ['  spaced\tout\n words ', plain(['spaced', 'out', 'words'])],
    ['"خسائر فادحة" روسيا', plain(['روسيا'], { phrases: ['خسائر فادحة'] })],
    ['«خسائر فادحة»', plain([], { phrases: ['خسائر فادحة'] })],
    ['“aid convoy”', plain([], { phrases: ['aid convoy'] })],
    ['خسائر -روسيا', plain(['خسائر'], { excluded: ['روسيا'] })],
    ['convoy -"read also"', plain(['convoy'], { excluded: ['read also'] })],
    ['a-b - c', plain(['a-b', '-', 'c'])],
    ['source:3 خسائر', plain(['خسائر'], { sourceId: 3 })],
    ['SOURCE:12', plain([], { sourceId: 12 })],
    ['source:abc', plain(['source:abc'])],
    ['after:2026-01-01 before:2026-02-01 x', plain(['x'], { after: new Date('2026-01-01T00:00:00Z'), before: new Date('2026-02-01T00:00:00Z') })],
    ['after:2026-02-30', plain(['after:2026-02-30'])],
    ['before:yesterday', plain(['before:yesterday'])],
    ['"unbalanced quote', plain(['unbalanced', 'quote'])],
    ['one "two three', plain(['one', 'two', 'three'])],
    ['""', plain([])],
    ['"   "', plain([])],
    ['', plain([])],
    ['AND OR NOT * ^ NEAR(', plain(['AND', 'OR', 'NOT', '*', '^', 'NEAR('])],
  ])('reads %j', (input, expected) => {
    expect(parseQuery(input)).toEqual(expected);
  });

  it('reads only the first 1,000 characters of a pasted text', () => {
    const parsed = parseQuery('كلمة '.repeat(3000));
    expect(parsed.words.join(' ').length).toBeLessThanOrEqual(maxQueryLength);
    expect(parsed.words.length).toBe(200);
  });

  it('never cuts a character in two at the length cap', () => {
    const parsed = parseQuery(`${'x'.repeat(maxQueryLength - 1)}😀😀`);
    expect(parsed.words[0]!.endsWith('x😀')).toBe(true);
  });

  it('reads a hostile run of quotes and dashes in linear time', () => {
    const started = performance.now();
    for (const input of ['"'.repeat(100_000), '-"'.repeat(50_000), '-'.repeat(100_000), '"a '.repeat(30_000)]) parseQuery(input);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('reading a day in a date filter', () => {
  it.each<[string, boolean, string | null]>([
    ['2026-01-01', false, '2026-01-01T00:00:00.000Z'],
    ['2026-01-31', true, '2026-02-01T00:00:00.000Z'],
    ['2026-02', false, '2026-02-01T00:00:00.000Z'],
    ['2026-12', true, '2027-01-01T00:00:00.000Z'],
    ['2026', true, '2027-01-01T00:00:00.000Z'],
    ['2026-13-01', false, null],
    ['2026-02-29', false, null],
    ['26-01-01', false, null],
  ])('reads %s (next: %s) as %s', (text, next, expected) => {
    expect(parseDay(text, next)?.toISOString() ?? null).toBe(expected);
  });
});
