import { describe, expect, it } from 'vitest';

import {
  indexTokens,
  MAX_INDEX_TOKENS,
  queryTerm,
  textRulesVersion,
  type QueryTerm,
} from '../../src/text/index.js';
import { seedArticle, seedTitle } from './seed-article.js';

/**
 * The matching rule every search backend implements over these tokens: a query term matches an
 * indexed token equal to its surface or its stem, or starting with its surface when `prefix`.
 */
function matches(term: QueryTerm, indexed: string): boolean {
  return indexed
    .split(' ')
    .some(
      (token) =>
        token === term.surface || token === term.stem || (term.prefix && token.startsWith(term.surface)),
    );
}

/** Whether every word of `query` matches a token of `text`. */
function finds(query: string, text: string): boolean {
  const indexed = indexTokens(text);
  return query.split(' ').every((word) => {
    const term = queryTerm(word);
    return term !== null && matches(term, indexed);
  });
}

describe('textRulesVersion', () => {
  it('is a whole number from 2 on', () => {
    expect(Number.isInteger(textRulesVersion)).toBe(true);
    expect(textRulesVersion).toBeGreaterThanOrEqual(2);
  });
});

describe('indexTokens', () => {
  it('puts each word and, when different, its stem right after it', () => {
    expect(indexTokens('روسيا بخسائرها')).toBe('روسيا بخسائرها خسائر');
    expect(indexTokens('في المخيمات')).toBe('في المخيمات مخيم');
  });

  it('normalises first: broken words, hamza, teh marbuta, harakat, punctuation, case', () => {
    expect(indexTokens('بخـ.سائرها، وزارةُ إدلب! Convoys')).toBe(
      'بخسائرها خسائر وزاره وزار زاره ادلب convoys convoy',
    );
  });

  it('adds the reading without a one-letter preposition the stemmer could not be sure of', () => {
    expect(indexTokens('بغزة')).toBe('بغزه بغز غزه');
    expect(indexTokens('وحلب')).toBe('وحلب حلب');
    expect(indexTokens('وتقر')).toBe('وتقر تقر');
  });

  it('gives the seed title the tokens a reader would search for', () => {
    const tokens = indexTokens(seedTitle).split(' ');
    for (const token of ['روسيا', 'بخسائرها', 'خسائر', 'ادلب', 'دفاع', 'ميليشياتها']) {
      expect(tokens).toContain(token);
    }
  });

  it('returns an empty string for text without words', () => {
    expect(indexTokens('')).toBe('');
    expect(indexTokens(' ؟ ... «» \u200F ')).toBe('');
  });

  it('never gives an empty token, a double space or a token with punctuation', () => {
    const indexed = indexTokens(seedArticle);
    expect(indexed).not.toMatch(/^ | $| {2}/);
    for (const token of indexed.split(' ')) expect(token).not.toMatch(/[\p{P}\p{S}\s\u0640]/u);
  });

  it('stops at the token cap without separating a word from its stem', () => {
    const text = 'بالمخيمات '.repeat(MAX_INDEX_TOKENS);
    const tokens = indexTokens(text).split(' ');
    expect(tokens.length).toBeLessThanOrEqual(MAX_INDEX_TOKENS);
    expect(tokens.length).toBeGreaterThan(MAX_INDEX_TOKENS - 3);
    expect(tokens.at(-1)).toBe('مخيم');
  });

  it('cuts a word longer than 64 characters to 64, and a query for it still finds it', () => {
    const long = 'ت'.repeat(100);
    expect(indexTokens(`${long} نص`)).toBe(`${'ت'.repeat(64)} نص`);
    expect(finds(long, long)).toBe(true);
    for (const token of indexTokens('ب'.repeat(1000)).split(' ')) expect(token.length).toBeLessThanOrEqual(64);
  });

  it('never cuts a long word inside a surrogate pair', () => {
    const long = 'a' + '𝐀'.repeat(40);
    const [token] = indexTokens(long).split(' ');
    expect(token!.length).toBeLessThanOrEqual(64);
    expect(token).not.toMatch(/\p{Cs}/u);
  });
});

describe('queryTerm', () => {
  it('gives the normalised surface, its stem and whether it may match as a prefix', () => {
    expect(queryTerm('بالمخيمات')).toEqual({ surface: 'بالمخيمات', stem: 'مخيم', prefix: true });
    expect(queryTerm('وزارة')).toEqual({ surface: 'وزاره', stem: 'وزار', prefix: true });
    expect(queryTerm('Convoys')).toEqual({ surface: 'convoys', stem: 'convoy', prefix: true });
  });

  it('lets only words of four letters or more match as a prefix', () => {
    expect(queryTerm('حلب')!.prefix).toBe(false);
    expect(queryTerm('ادلب')!.prefix).toBe(true);
    expect(queryTerm('2023')!.prefix).toBe(false);
    expect(queryTerm('gas')!.prefix).toBe(false);
  });

  it('returns null for a word that normalises to nothing', () => {
    expect(queryTerm('؟')).toBeNull();
    expect(queryTerm('«»')).toBeNull();
    expect(queryTerm('\u200F')).toBeNull();
    expect(queryTerm('')).toBeNull();
  });

  it('takes the first part of a word that normalises to several', () => {
    expect(queryTerm('U.S.')!.surface).toBe('u');
  });
});

describe('a query term against the indexed tokens', () => {
  it.each([
    ['خسائر', 'روسيا تقر بخسائرها'],
    ['مخيم', 'قصف على بالمخيمات'],
    ['المخيمات', 'زيارة إلى مخيم النازحين'],
    ['وزارة الدفاع', 'بيان من الدفاع والوزارة'],
    ['الحكومة', 'قالت حكومتها'],
    ['قوات', 'انسحبت بقواتها'],
    ['غزة', 'قصف بغزة'],
    ['حلب', 'في إدلب وحلب'],
    ['إدلب', 'جنوب شرق ادلب'],
    ['الثورية', 'الفصائل الثــ.ورية'],
    ['convoy', 'Two convoys were hit'],
    ['convoys', 'the convoy'],
    ['Resume', 'un résumé'],
    ['ميليشيا', 'سحب ميليشياتها'],
  ])('%s finds %j', (query, text) => {
    expect(finds(query, text)).toBe(true);
  });

  it.each([
    ['زار', 'وزارة الدفاع'],
    ['زار', 'الوزارات'],
    ['وزير', 'وزارة'],
    ['خسا', 'بخسائرها'],
    ['حلب', 'حليب'],
    ['مخيم', 'خيمة'],
  ])('%s does not find %j', (query, text) => {
    expect(finds(query, text)).toBe(false);
  });

  it('finds the seed by its title word through the title alone', () => {
    expect(finds('خسائر', seedTitle)).toBe(true);
  });
});
