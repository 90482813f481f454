import { describe, expect, it } from 'vitest';

import { normalizeForSearch } from '../../src/text/normalize-for-search.js';
import { stemWord, withoutOneLetterPrefix } from '../../src/text/stem-word.js';

/**
 * The word-level test set: a word as a feed writes it → the stem the index keeps for it (in the
 * normalised spelling: ة is ه, أ إ آ are ا, ى is ي). Each row goes through normalizeForSearch
 * first, as every word does on its way to the stemmer.
 */
const ARABIC_STEMS: ReadonlyArray<[string, string]> = [
  // The issue's own examples.
  ['بخسائرها', 'خسائر'],
  ['خسائر', 'خسائر'],
  ['الخسائر', 'خسائر'],
  ['بالمخيمات', 'مخيم'],
  ['المخيمات', 'مخيم'],
  ['مخيمات', 'مخيم'],
  ['مخيم', 'مخيم'],
  ['والمخيم', 'مخيم'],
  ['ومخيماتهم', 'مخيم'],
  // Words whose first letter looks like a conjunction or preposition and is not one.
  ['وزارة', 'وزار'],
  ['الوزارة', 'وزار'],
  ['وزارات', 'وزار'],
  ['بوزارة', 'وزار'],
  ['وزير', 'وزير'],
  ['الوزير', 'وزير'],
  ['للوزير', 'وزير'],
  ['بيان', 'بيان'],
  ['البيان', 'بيان'],
  ['لبيان', 'بيان'],
  ['بيتها', 'بيت'],
  ['كتابهم', 'كتاب'],
  ['كتابه', 'كتاب'],
  ['كتابنا', 'كتاب'],
  ['كتابكم', 'كتاب'],
  ['لجنة', 'لجن'],
  ['اللجنة', 'لجن'],
  // Teh marbuta written as teh before a pronoun.
  ['حكومة', 'حكوم'],
  ['الحكومة', 'حكوم'],
  ['حكومتها', 'حكوم'],
  ['بحكومتهم', 'حكوم'],
  ['مدينة', 'مدين'],
  ['المدينة', 'مدين'],
  ['مدينتها', 'مدين'],
  ['بالمدرسة', 'مدرس'],
  ['مدرستهم', 'مدرس'],
  // Plurals, duals, relative adjectives.
  ['الثورية', 'ثور'],
  ['ثورة', 'ثور'],
  ['الثورة', 'ثور'],
  ['مقاتلين', 'مقاتل'],
  ['المقاتلون', 'مقاتل'],
  ['للمقاتلين', 'مقاتل'],
  ['مسلحون', 'مسلح'],
  ['والمسلحين', 'مسلح'],
  ['النازحين', 'نازح'],
  ['نازحون', 'نازح'],
  ['اشتباكات', 'اشتباك'],
  ['باشتباكات', 'اشتباك'],
  ['تصريحات', 'تصريح'],
  ['وتصريحاته', 'تصريح'],
  ['طائرات', 'طائر'],
  ['بطائرة', 'طائر'],
  ['مسيرة', 'مسير'],
  ['المسيرات', 'مسير'],
  ['الجانبان', 'جانب'],
  ['جانبين', 'جانب'],
  ['العسكرية', 'عسكر'],
  ['عسكري', 'عسكر'],
  ['العسكريين', 'عسكر'],
  ['مصري', 'مصر'],
  ['المصريون', 'مصر'],
  ['المصرية', 'مصر'],
  ['العراقيون', 'عراق'],
  ['بالعراق', 'عراق'],
  ['مستشفى', 'مستشف'],
  ['المستشفيات', 'مستشف'],
  ['قرية', 'قري'],
  ['القرى', 'قري'],
  ['القوات', 'قوات'],
  ['بقواتها', 'قوات'],
  ['ميليشياتها', 'ميليش'],
  ['الميليشيات', 'ميليش'],
  ['القتلى', 'قتل'],
  ['قتلى', 'قتل'],
  // Articles, conjunctions and prepositions on words without suffixes.
  ['صواريخ', 'صواريخ'],
  ['بصواريخ', 'صواريخ'],
  ['الصواريخ', 'صواريخ'],
  ['الدفاع', 'دفاع'],
  ['والدفاع', 'دفاع'],
  ['بالدفاع', 'دفاع'],
  ['هجوم', 'هجوم'],
  ['بهجوم', 'هجوم'],
  ['إدلب', 'ادلب'],
  ['بإدلب', 'ادلب'],
  ['وإدلب', 'ادلب'],
  ['لإدلب', 'ادلب'],
  ['الأمم', 'امم'],
  ['للأمم', 'امم'],
  ['الانسحاب', 'انسحاب'],
  ['واستهدفت', 'استهدفت'],
  ['السكان', 'سكان'],
  ['الرئيس', 'رئيس'],
  ['رئيسها', 'رئيس'],
  // Short words and words that keep an article that cannot come off stay whole.
  ['الذي', 'الذي'],
  ['التي', 'التي'],
  ['الله', 'الله'],
  ['إلى', 'الي'],
  ['على', 'علي'],
  ['في', 'في'],
  ['من', 'من'],
  ['غزة', 'غزه'],
  ['سحب', 'سحب'],
];

const ENGLISH_STEMS: ReadonlyArray<[string, string]> = [
  ['convoys', 'convoy'],
  ['convoy', 'convoy'],
  ['days', 'day'],
  ['attacks', 'attack'],
  ['attacked', 'attack'],
  ['killed', 'kill'],
  ['refugees', 'refuge'],
  ['camps', 'camp'],
  ['running', 'run'],
  ['ministries', 'ministri'],
  ['ministry', 'ministri'],
  ['Résumés', 'resum'],
  ['Syria', 'syria'],
];

/** The stem of a word as the index computes it: normalised first. */
function stemOf(word: string): string {
  return stemWord(normalizeForSearch(word));
}

describe('stemWord', () => {
  it('has a word-level test set of at least 60 Arabic rows', () => {
    expect(ARABIC_STEMS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(ARABIC_STEMS)('stems the Arabic word %s to %s', (word, stem) => {
    expect(stemOf(word)).toBe(stem);
  });

  it.each(ENGLISH_STEMS)('stems the English word %s to %s', (word, stem) => {
    expect(stemOf(word)).toBe(stem);
  });

  it('never reduces وزارة to the root زار, as Snowball does', () => {
    for (const word of ['وزارة', 'الوزارة', 'وزارات', 'بوزارة', 'والوزارات']) {
      expect(stemOf(word)).not.toBe('زار');
    }
  });

  it.each([
    ['مخيمات', ['المخيمات', 'بالمخيمات', 'والمخيمات', 'ومخيماتهم', 'مخيماتها']],
    ['خسائر', ['الخسائر', 'بخسائرها', 'وخسائر', 'خسائرهم']],
    ['وزارة', ['الوزارة', 'بوزارة', 'وزارتها', 'والوزارة']],
    ['فلسطيني', ['الفلسطيني', 'والفلسطينيين', 'فلسطينيون']],
    ['حكومة', ['الحكومة', 'حكومتها', 'للحكومة', 'وحكومته']],
  ])('gives %s the same stem as its prefixed and inflected forms', (word, forms) => {
    for (const form of forms) expect(stemOf(form), form).toBe(stemOf(word));
  });

  it('keeps at least three letters of any Arabic word', () => {
    for (const word of ['بيان', 'لبن', 'وله', 'بها', 'كما', 'فيها', 'لهم', 'ولكن', 'وقال', 'ايران', 'الان']) {
      expect([...stemOf(word)].length, word).toBeGreaterThanOrEqual(Math.min(3, [...normalizeForSearch(word)].length));
    }
  });

  it('returns numbers, other scripts and mixed tokens unchanged', () => {
    for (const word of ['2023', '1445ه', 'covid19', 'москва', 'συρία', '😀']) {
      expect(stemWord(word)).toBe(word);
    }
  });

  it('leaves a word longer than 64 characters whole', () => {
    const long = 'بال' + 'م'.repeat(70) + 'ات';
    expect(stemWord(long)).toBe(long);
    expect(stemWord('s'.repeat(100))).toBe('s'.repeat(100));
  });

  it('gives stems already in the normalised spelling, so a query for a stem finds it', () => {
    for (const [word] of [...ARABIC_STEMS, ...ENGLISH_STEMS]) {
      const stem = stemOf(word);
      expect(normalizeForSearch(stem)).toBe(stem);
    }
  });
});

describe('withoutOneLetterPrefix', () => {
  it.each([
    ['بغزه', 'غزه'],
    ['وحلب', 'حلب'],
    ['لغزه', 'غزه'],
  ])('reads %s also as %s when the stemmer kept the letter', (word, reading) => {
    expect(withoutOneLetterPrefix(word, stemWord(word))).toBe(reading);
  });

  it('gives no other reading when the stem already lost the letter, or for a long word', () => {
    expect(withoutOneLetterPrefix('بخسائرها', stemWord('بخسائرها'))).toBeNull();
    expect(withoutOneLetterPrefix('كتابهم', stemWord('كتابهم'))).toBeNull();
    expect(withoutOneLetterPrefix('والمخيم', stemWord('والمخيم'))).toBeNull();
    expect(withoutOneLetterPrefix('مخيم', stemWord('مخيم'))).toBeNull();
    expect(withoutOneLetterPrefix('بها', stemWord('بها'))).toBeNull();
    expect(withoutOneLetterPrefix('bank', stemWord('bank'))).toBeNull();
  });
});
