import { describe, expect, it } from 'vitest';

import { makeHeadline } from '../../src/text/make-headline.js';
import { seedArticle, seedTitle } from './seed-article.js';

const RESTORED_SEED_TITLE =
  'روسيا تدّعي سحب ميليشياتها من جنوب شرق إدلب وتقر بخسائرها “بيان من الدفاع”';

const LONG_WORDS = Array.from({ length: 60 }, (_, index) => `كلمة${index}`).join(' ');

describe('makeHeadline', () => {
  it('restores the broken word of the seed title and keeps everything else', () => {
    expect(makeHeadline({ title: seedTitle, text: seedArticle })).toBe(RESTORED_SEED_TITLE);
  });

  it('removes markup from a title and decodes its entities once', () => {
    expect(makeHeadline({ title: '<b>AT&amp;T</b> تعلن &amp;amp; <i>تؤكد</i>', text: null })).toBe(
      'AT&T تعلن &amp; تؤكد',
    );
  });

  it('puts a title spread over lines or spaces on one line', () => {
    expect(makeHeadline({ title: '  عنوان\n\n  على   سطرين <br> وثالث ', text: null })).toBe(
      'عنوان على سطرين وثالث',
    );
  });

  it('takes the first sentence of the seed body, skip link removed, when there is no title', () => {
    expect(makeHeadline({ title: null, text: seedArticle })).toBe(RESTORED_SEED_TITLE);
  });

  it('falls back to the text when the title has no words', () => {
    expect(makeHeadline({ title: ' <br> … ', text: 'الخبر الأول. والثاني.' })).toBe('الخبر الأول.');
  });

  it('ends the first sentence at a terminator followed by a space, with broken words restored', () => {
    const text = 'بعد معـ.ـارك كبيرة خـ.ـسائر فـ.ـادحة، قتيـ.ـل وجـ.ـريح. وقال المركز ما قال.';
    expect(makeHeadline({ title: null, text })).toBe('بعد معارك كبيرة خسائر فادحة، قتيل وجريح.');
  });

  it.each([
    ['هل انسحبت القوات؟ نعم.', 'هل انسحبت القوات؟'],
    ['ماذا حدث? Nothing.', 'ماذا حدث?'],
    ['كارثة! ثم هدوء.', 'كارثة!'],
    ['وهكذا… انتهى الأمر.', 'وهكذا…'],
    ['قال: "انتهى الأمر." ثم غادر.', 'قال: "انتهى الأمر."'],
    ['السطر الأول بلا نقطة\nالسطر الثاني.', 'السطر الأول بلا نقطة'],
  ])('takes %j up to its first sentence end', (text, headline) => {
    expect(makeHeadline({ title: null, text })).toBe(headline);
  });

  it('does not end a sentence inside a number or after an abbreviation', () => {
    const text = 'قال د. أحمد وأ.د. سامي إن العمق 1.2 كيلو متر وفق U.S. Army. ثم غادر.';
    expect(makeHeadline({ title: null, text })).toBe(
      'قال د. أحمد وأ.د. سامي إن العمق 1.2 كيلو متر وفق U.S. Army.',
    );
  });

  it('ends a sentence after a short word that is not an abbreviation', () => {
    expect(makeHeadline({ title: null, text: 'صدر بيان له. ثم آخر.' })).toBe('صدر بيان له.');
  });

  it('ends a sentence after a year marker', () => {
    expect(makeHeadline({ title: null, text: 'في عام 1445هـ. بدأ المشروع.' })).toBe('في عام 1445هـ.');
  });

  it('skips "read also" lines and blank lines before the first sentence', () => {
    const text = '\n\nاقرأ أيضاً: خبر آخر\n\nالخبر الحقيقي. وتفاصيله.';
    expect(makeHeadline({ title: null, text })).toBe('الخبر الحقيقي.');
  });

  it('cuts a long first sentence at a word boundary and appends an ellipsis', () => {
    const headline = makeHeadline({ title: null, text: LONG_WORDS }, 120);
    expect(headline).not.toBeNull();
    expect(headline!.length).toBeLessThanOrEqual(120);
    expect(headline!.endsWith('…')).toBe(true);
    const words = headline!.slice(0, -1).split(' ');
    expect(LONG_WORDS.startsWith(words.join(' ') + ' ')).toBe(true);
    expect(words.length).toBeGreaterThan(10);
  });

  it('drops a dangling comma before the ellipsis', () => {
    const text = 'أ'.repeat(50) + '، ' + 'ب'.repeat(50);
    expect(makeHeadline({ title: null, text }, 60)).toBe('أ'.repeat(50) + '…');
  });

  it('keeps a title within the limit whole', () => {
    const title = LONG_WORDS.slice(0, 120).trim();
    expect(makeHeadline({ title, text: null }, 120)).toBe(title);
  });

  it('cuts a title longer than the limit the same way', () => {
    const headline = makeHeadline({ title: LONG_WORDS, text: null }, 120);
    expect(headline!.length).toBeLessThanOrEqual(120);
    expect(headline!.endsWith('…')).toBe(true);
    expect(LONG_WORDS.startsWith(headline!.slice(0, -1) + ' ')).toBe(true);
  });

  it('cuts a single overlong word without splitting a surrogate pair', () => {
    const text = '𝐀'.repeat(20);
    const headline = makeHeadline({ title: null, text }, 9)!;
    expect(headline).toBe('𝐀'.repeat(4) + '…');
    expect(headline).not.toMatch(/\p{Cs}/u); // no lone surrogate
  });

  it('cuts a single overlong word without separating a haraka from its letter', () => {
    const text = 'بَ'.repeat(10);
    expect(makeHeadline({ title: null, text }, 5)).toBe('بَبَ…');
  });

  it('returns null when there is neither a title nor text', () => {
    expect(makeHeadline({ title: null, text: null })).toBeNull();
    expect(makeHeadline({ title: '  ', text: ' \n ' })).toBeNull();
    expect(makeHeadline({ title: '<p></p>', text: 'Skip to content\n\nاقرأ أيضاً: خبر' })).toBeNull();
  });
});

describe('makeHeadline for display', () => {
  it('cuts a long title at the last clause that fills half the room', () => {
    const title = 'قوات النظام تقصف ريف إدلب الجنوبي بالمدفعية الثقيلة منذ الصباح، وتستهدف المدنيين في القرى المحيطة بالمدينة والمخيمات القريبة من الحدود';
    expect(title.length).toBeGreaterThan(120);
    expect(makeHeadline({ title, text: null })).toBe(
      'قوات النظام تقصف ريف إدلب الجنوبي بالمدفعية الثقيلة منذ الصباح…',
    );
  });

  it.each([';', ':', '؛', ' –', ','])('treats %j followed by a space as a clause end', (separator) => {
    const text = 'أ'.repeat(40) + separator + ' ' + 'ب '.repeat(40);
    expect(makeHeadline({ title: text, text: null }, 60)).toBe('أ'.repeat(40) + '…');
  });

  it('prefers the last word boundary to a clause end that would leave a stub', () => {
    const title = 'عاجل، ' + 'كلمة '.repeat(40);
    const headline = makeHeadline({ title, text: null })!;
    expect(headline.length).toBeGreaterThan(100);
    expect(headline.length).toBeLessThanOrEqual(120);
    expect(headline.endsWith('كلمة…')).toBe(true);
  });

  it('does not cut inside a number written with a comma or a colon', () => {
    const title = 'ب'.repeat(70) + ' نحو 1,000 نازح عند الساعة 10:30 ' + 'ج '.repeat(40);
    const headline = makeHeadline({ title, text: null })!;
    expect(headline).toContain('1,000');
    expect(headline).toContain('10:30');
  });

  it('does not end a sentence at a period after a number', () => {
    expect(makeHeadline({ title: null, text: 'البند 1. ينص على الانسحاب. ثم غادر.' })).toBe(
      'البند 1. ينص على الانسحاب.',
    );
  });

  it('keeps the year markers 1445هـ. and 2023م. as sentence ends', () => {
    expect(makeHeadline({ title: null, text: 'في عام 2023م. بدأ المشروع.' })).toBe('في عام 2023م.');
  });

  it('removes bidi and control characters from a title', () => {
    expect(makeHeadline({ title: 'خبر\u202E عاجل\u2066 من\u0007 إدلب\u200F', text: null })).toBe(
      'خبر عاجل من إدلب',
    );
  });

  it('removes bidi and control characters from a headline taken from the text', () => {
    expect(makeHeadline({ title: null, text: '\u202Bخبر\u202C عاجل\u0000. ثانٍ.' })).toBe('خبر عاجل.');
  });

  it('still joins a word broken with an invisible joiner before removing joiners', () => {
    expect(makeHeadline({ title: 'تقر بخـ\u200D.ـسائرها', text: null })).toBe('تقر بخسائرها');
  });
});
