import { describe, expect, it } from 'vitest';

import { makeHeadline } from '../../src/text/make-headline.js';
import { makeSummary } from '../../src/text/make-summary.js';
import { stripBoilerplate } from '../../src/text/strip-boilerplate.js';
import { seedArticle, seedTitle } from './seed-article.js';

const SEED_LEAD =
  'بعد معارك كبيرة تكبدت خلالها خسائر فادحة، ادّعت روسيا انسحاب قوات نظام الأسد وميليشياته من مواقعها في منطقة جنوب شرق إدلب، عقب قصف نفذته الفصائل الثورية عليها، مؤكدة سقوط أكثر من 100 عنصر ما بين قتيل وجريح.';
const SEED_SECOND =
  'وقال ما يعرف باسم “مركز المصالحة الروسي في سوريا” في بيان له اليوم الخميس بأن “القوات السورية خسرت 40 من جنودها و 80 مصاباً في هجوم للمسلحين أمس” على حد تعبيرهم.';

describe('makeSummary', () => {
  describe('on the seed article', () => {
    const body = stripBoilerplate(seedArticle);
    const headline = makeHeadline({ title: seedTitle, text: body })!;

    it('skips the title line the body repeats and gives the lead sentence, broken words restored', () => {
      expect(makeSummary(body, headline)).toBe(SEED_LEAD);
    });

    it('adds the second sentence, from the next paragraph, when both fit', () => {
      expect(makeSummary(body, headline, { maxChars: 600 })).toBe(`${SEED_LEAD} ${SEED_SECOND}`);
    });

    it('leaves the second sentence out when both do not fit in 280 characters', () => {
      expect(SEED_LEAD.length + 1 + SEED_SECOND.length).toBeGreaterThan(280);
      expect(makeSummary(body, headline)!.length).toBeLessThanOrEqual(280);
    });

    it('starts with the repeated title when the headline is something else', () => {
      expect(makeSummary(body, 'خبر آخر تماماً عن الطقس')).toBe(
        'روسيا تدّعي سحب ميليشياتها من جنوب شرق إدلب وتقر بخسائرها “بيان من الدفاع”',
      );
    });
  });

  it('takes the first two sentences of an English lead', () => {
    const body = 'The convoy reached Idlib at dawn. It carried food for 4,000 families. Officials met later.';
    expect(makeSummary(body, 'Aid convoy arrives')).toBe('The convoy reached Idlib at dawn. It carried food for 4,000 families.');
  });

  it('splits sentences as headlines do: not after a number or an abbreviation', () => {
    const body = 'قال د. أحمد إن العمق 1.2 كيلو متر وفق U.S. Army. ثم غادر القاعة. وانتهى الاجتماع.';
    expect(makeSummary(body, 'عنوان')).toBe('قال د. أحمد إن العمق 1.2 كيلو متر وفق U.S. Army. ثم غادر القاعة.');
  });

  it.each([
    ['the same words', 'أعلنت الحكومة إغلاق المعابر الحدودية', 'أعلنت الحكومة إغلاق المعابر الحدودية.'],
    ['other hamza, taa marbuta and harakat', 'أعلنت الحكومة إغلاق المعابر الحدودية', 'اعلنت الحكومه اغلاقَ المعابر الحدودية!'],
    ['a word more', 'أعلنت الحكومة إغلاق المعابر الحدودية', 'أعلنت الحكومة اليوم إغلاق المعابر الحدودية.'],
    ['broken words', 'أعلنت الحكومة إغلاق المعابر الحدودية', 'أعلنت الحكـ.ـومة إغـ.ـلاق المعابر الحدودية.'],
    ['a headline cut with an ellipsis', 'أعلنت الحكومة إغلاق المعابر الحدو…', 'أعلنت الحكومة إغلاق المعابر الحدودية مع الدول المجاورة كلها حتى إشعار آخر.'],
    ['English in another case', 'Government Closes Border Crossings', 'Government closes border crossings.'],
  ])('skips a first sentence that repeats the headline: %s', (_, headline, lead) => {
    expect(makeSummary(`${lead} وقالت إن القرار مؤقت.`, headline)).toBe('وقالت إن القرار مؤقت.');
  });

  it('keeps a first sentence that shares only some words with the headline', () => {
    const body = 'أغلقت الحكومة المعابر بعد اشتباكات عنيفة في الشمال. وقالت إن القرار مؤقت.';
    expect(makeSummary(body, 'أعلنت الحكومة إغلاق المعابر الحدودية')).toBe(
      'أغلقت الحكومة المعابر بعد اشتباكات عنيفة في الشمال. وقالت إن القرار مؤقت.',
    );
  });

  it('skips only the first sentence, not a later one that happens to repeat the headline', () => {
    expect(makeSummary('مقدمة الخبر. عنوان الخبر.', 'عنوان الخبر')).toBe('مقدمة الخبر. عنوان الخبر.');
  });

  it('cuts a first sentence longer than 280 characters at a word boundary, with an ellipsis', () => {
    const words = Array.from({ length: 80 }, (_, index) => `كلمة${index}`);
    const body = `${words.join(' ')}.`;
    const summary = makeSummary(body, 'عنوان')!;
    expect(summary.length).toBeLessThanOrEqual(280);
    expect(summary.endsWith('…')).toBe(true);
    const kept = summary.slice(0, -1).split(' ');
    expect(kept).toEqual(words.slice(0, kept.length));
    expect(kept.length).toBeGreaterThan(30);
  });

  it('honours a smaller maxChars', () => {
    const summary = makeSummary('The convoy reached Idlib at dawn after a long night. It carried food.', 'x', { maxChars: 30 });
    expect(summary).toBe('The convoy reached Idlib at…');
  });

  it('never cuts inside a surrogate pair, even inside a word longer than the limit', () => {
    // Mathematical bold letters: letters outside the BMP, two UTF-16 units each.
    for (const maxChars of [10, 11, 12, 13]) {
      const summary = makeSummary('𝐀'.repeat(40), 'x', { maxChars })!;
      expect(summary.length).toBeLessThanOrEqual(maxChars);
      expect(summary.endsWith('…')).toBe(true);
      expect(summary.slice(0, -1)).toBe('𝐀'.repeat((summary.length - 1) / 2));
    }
  });

  it('never cuts a haraka from its letter inside a word longer than the limit', () => {
    for (const maxChars of [10, 11]) {
      const summary = makeSummary('بَ'.repeat(40), 'x', { maxChars })!;
      expect(summary.endsWith('…')).toBe(true);
      expect(summary.slice(0, -1)).toBe('بَ'.repeat((summary.length - 1) / 2));
    }
  });

  it('removes bidi and invisible characters and puts a paragraph on one line', () => {
    expect(makeSummary('خبر\u202E عاجل\u200B   من   دمشق.', 'عنوان')).toBe('خبر عاجل من دمشق.');
  });

  it.each([
    ['an empty body', ''],
    ['blank lines', ' \n\n \t\n'],
    ['punctuation only', '… . ؟ !\n—'],
    ['the headline only', 'أعلنت الحكومة إغلاق المعابر الحدودية'],
  ])('returns null for %s', (_, body) => {
    expect(makeSummary(body, 'أعلنت الحكومة إغلاق المعابر الحدودية')).toBeNull();
  });

  it('reads only the start of a huge body and gives the same summary as for its lead', () => {
    const lead = 'The convoy reached Idlib at dawn. It carried food for families.';
    const huge = `${lead}\n${'filler words go on and on. '.repeat(40_000)}`;
    expect(makeSummary(huge, 'Aid convoy arrives')).toBe(lead);
  });
});
