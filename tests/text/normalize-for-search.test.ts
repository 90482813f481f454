import { describe, expect, it } from 'vitest';

import { normalizeForSearch, searchTokens } from '../../src/text/normalize-for-search.js';
import { seedArticle, seedTitle } from './seed-article.js';

describe('normalizeForSearch', () => {
  it.each([
    ['خـ.ـسائر', 'خسائر'],
    ['الثــ؟ورية', 'الثورية'],
    ['بخـ.سائرها', 'بخسائرها'],
    ['إدلب', 'ادلب'],
    ['أحمد', 'احمد'],
    ['آنذاك', 'انذاك'],
    ['ٱلله', 'الله'],
    ['مدرسة', 'مدرسه'],
    ['على', 'علي'],
    ['فارسی', 'فارسي'],
    ['کتاب', 'كتاب'],
    ['مَدْرَسَةٌ', 'مدرسه'],
    ['مرحباً', 'مرحبا'],
    ['ادّعت', 'ادعت'],
    ['Café', 'cafe'],
    ['NAÏVE Résumé', 'naive resume'],
  ])('matches %s with %s', (variant, plain) => {
    expect(normalizeForSearch(variant)).toBe(normalizeForSearch(plain));
  });

  it('removes tatweel, harakat and superscript alef', () => {
    expect(normalizeForSearch('جميـــل هٰذا كَتَبَ')).toBe('جميل هذا كتب');
  });

  it('folds alef, alef maksura and teh marbuta variants to one spelling', () => {
    expect(normalizeForSearch('أإآٱ ى ة')).toBe('اااا ي ه');
  });

  it('folds Persian yeh and keheh inside Arabic words only', () => {
    expect(normalizeForSearch('فارسی کتاب مکتب')).toBe('فارسي كتاب مكتب');
    expect(normalizeForSearch('ی ک')).toBe('ی ک');
    expect(normalizeForSearch('(ی) «ک»')).toBe('ی ک');
  });

  it('folds a Persian yeh between harakat and tatweel as inside its word', () => {
    expect(normalizeForSearch('عَلیـــه')).toBe('عليه');
  });

  it('keeps hamza on waw and yeh, which NFD would have split', () => {
    expect(normalizeForSearch('Café مسؤول رئيس')).toBe('cafe مسؤول رئيس');
  });

  it('folds diacritics of Latin letters only', () => {
    expect(normalizeForSearch('Москва й')).toBe('москва й');
    expect(normalizeForSearch('İstanbul Ğ')).toBe('istanbul g');
  });

  it('removes invisible and bidi control characters', () => {
    const hidden = '\u200Bإد\u200Cلب\u200D \u200E\u200Fسوريا\u202A\u202B\u202C\u202D\u202E \u2066\u2067\u2068\u2069\u061C\uFEFFحلب\u00AD';
    expect(normalizeForSearch(hidden)).toBe('ادلب سوريا حلب');
  });

  it('restores a word broken with an invisible joiner in it', () => {
    expect(normalizeForSearch('خـ\u200D.ـسائر')).toBe('خسائر');
  });

  it('turns Arabic-Indic and Persian digits into ASCII digits', () => {
    expect(normalizeForSearch('٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789 0123456789');
  });

  it('unifies compatibility forms such as presentation-form ligatures and full-width letters', () => {
    expect(normalizeForSearch('ﻻ ﷲ ＢＭＰ')).toBe('لا الله bmp');
  });

  it('replaces punctuation with a space and collapses whitespace', () => {
    expect(normalizeForSearch('  «قال»:  “سوريا”،\n\tحلب؟! (فيديو) — 14.5% ')).toBe(
      'قال سوريا حلب فيديو 14 5',
    );
  });

  it('lowercases Latin text', () => {
    expect(normalizeForSearch('Reuters BMP')).toBe('reuters bmp');
  });

  it('returns an empty string for text without words', () => {
    expect(normalizeForSearch(' ... ،؟ \u200F ')).toBe('');
  });

  it('normalises the seed title to plain searchable words', () => {
    expect(normalizeForSearch(seedTitle)).toBe(
      'روسيا تدعي سحب ميليشياتها من جنوب شرق ادلب وتقر بخسائرها بيان من الدفاع',
    );
  });

  it('is idempotent on the seed', () => {
    const once = normalizeForSearch(seedArticle);
    expect(normalizeForSearch(once)).toBe(once);
  });

  it('is idempotent on mixed scripts, marks and symbols', () => {
    const mixed = 'İSTANBUL Ǆemal ﷺ مَسْؤُولٌ ١٤٤٥هـ. e.g. U.S. 😀 x\u0301 Σίσυφος';
    const once = normalizeForSearch(mixed);
    expect(normalizeForSearch(once)).toBe(once);
  });

  it('keeps the Hijri marker as a searchable token', () => {
    expect(normalizeForSearch('عام 1445هـ.')).toBe('عام 1445ه');
  });
});

describe('searchTokens', () => {
  it('splits the normalised text into words', () => {
    expect(searchTokens('الفصائل الثــ.ورية، في إدلب!')).toEqual(['الفصائل', 'الثوريه', 'في', 'ادلب']);
  });

  it('returns no tokens for empty or punctuation-only text', () => {
    expect(searchTokens('')).toEqual([]);
    expect(searchTokens(' ؟ . ')).toEqual([]);
  });

  it('gives the seed tokens free of tatweel, harakat and punctuation', () => {
    const tokens = searchTokens(seedArticle);
    expect(tokens.length).toBeGreaterThan(400);
    for (const token of tokens) {
      expect(token).not.toBe('');
      expect(token).not.toMatch(/[\u0640\u064B-\u065F\u0670\p{P}\p{S}\s]/u);
    }
    expect(tokens).toContain('بخسائرها');
    expect(tokens).toContain('الثوريه');
    expect(tokens).toContain('ادلب');
  });

  it('finds a query typed without hamza, tatweel or teh marbuta in the seed', () => {
    const indexed = new Set(searchTokens(seedArticle));
    const query = searchTokens('اعلنت وزاره الدفاع خسائر الثوريه ادلب');
    expect(query.filter((word) => !indexed.has(word))).toEqual([]);
  });
});

describe('normalizeForSearch on runs of combining marks', () => {
  // A Cyrillic letter: marks after Latin letters are removed, and U+0316 composes with no letter.
  const below = '\u0316';

  it('keeps the first 30 marks of a longer run', () => {
    expect(normalizeForSearch('ж' + below.repeat(100) + ' ы')).toBe('ж' + below.repeat(30) + ' ы');
  });

  it('leaves a run of 30 marks whole', () => {
    expect(normalizeForSearch('ж' + below.repeat(30))).toBe('ж' + below.repeat(30));
  });

  it('caps again the runs that removed joiners and tatweels join', () => {
    const split = 'ж' + (below.repeat(20) + '\u200D\u0640').repeat(5);
    expect(normalizeForSearch(split)).toBe('ж' + below.repeat(30));
  });

  it('is idempotent on long runs of marks', () => {
    const texts = [
      'ب' + '\u0344'.repeat(40),
      'ж' + ('\u0301\u0316'.repeat(15) + '\u200D').repeat(5),
      'a' + '\u0301\uFF9E'.repeat(50),
    ];
    for (const text of texts) {
      const once = normalizeForSearch(text);
      expect(normalizeForSearch(once)).toBe(once);
    }
  });
});

describe('normalizeForSearch on plain ASCII (its short cut)', () => {
  it('gives what the full rules give: lowercased, spaces collapsed and trimmed', () => {
    // A trailing '.' sends the same text through every rule (a separator, trimmed at the end).
    const alphabet = 'aZ09 mQ  x';
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: next() % 24 }, () => alphabet[next() % alphabet.length]).join('');
      expect(normalizeForSearch(text)).toBe(normalizeForSearch(`${text}.`));
    }
    expect(normalizeForSearch('  Breaking  NEWS 24 ')).toBe('breaking news 24');
    expect(normalizeForSearch('')).toBe('');
  });
});
