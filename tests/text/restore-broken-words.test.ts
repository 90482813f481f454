import { describe, expect, it } from 'vitest';

import { restoreBrokenWords } from '../../src/text/restore-broken-words.js';
import { seedArticle } from './seed-article.js';

const TATWEEL = '\u0640';

/** The 48 broken tokens of the seed, in order, as they should read once restored. */
const SEED_RESTORED_TOKENS = [
  'بخسائرها', 'معارك', 'تكبدت', 'خسائر',
  'فادحة،', 'قصف', 'الثورية', 'سقوط',
  'قتيل', 'وجريح.', 'خسرت', 'مصاباً',
  'هجوم', 'للمسلحين', 'التصعيد', 'هجوم',
  'المسلحين', 'الثورية', 'هجوماً', 'قصفت',
  'القتلى', 'والجرحى', 'معركة', 'هجوماً',
  'اشتباكات', 'المناوشات', 'والمواجهات', 'الثورية',
  'خسارتها', 'العمليات', 'شنتها', 'الثورية',
  'تعرضت', 'لهجوم', 'لخسارتها', 'الهجوم',
  'دبابات،', 'المدرعات،', 'الهجمات', 'تتعرض',
  'النار', 'الثورية', 'خسائر', 'دبابات،',
  'إطلاق', 'صواريخ', 'ورشاش', 'عمليات',
];

/** Splits into words and the exact whitespace between them, so both can be compared. */
function wordsAndSpaces(text: string): string[] {
  return text.split(/(\s+)/);
}

describe('restoreBrokenWords', () => {
  it('restores all 48 broken words of the seed and changes nothing else', () => {
    const restored = restoreBrokenWords(seedArticle);
    const before = wordsAndSpaces(seedArticle);
    const after = wordsAndSpaces(restored);
    expect(after).toHaveLength(before.length);

    const brokenSeen: string[] = [];
    const restoredSeen: string[] = [];
    before.forEach((token, index) => {
      if (token.includes(TATWEEL)) {
        brokenSeen.push(token);
        restoredSeen.push(after[index] ?? '');
      } else {
        expect(after[index]).toBe(token);
      }
    });
    expect(brokenSeen).toHaveLength(48);
    expect(restoredSeen).toEqual(SEED_RESTORED_TOKENS);
    expect(restored).not.toContain(TATWEEL);
  });

  it.each([
    ['خـ.ـسائر', 'خسائر'],
    ['الثــ؟ورية', 'الثورية'],
    ['تعــ.رضـ.ت', 'تعرضت'],
    ['بخـ.سائرها', 'بخسائرها'],
    ['وجـ.ـريح.', 'وجريح.'],
    ['خـ!ـسائر', 'خسائر'],
    ['خـ?ـسائر', 'خسائر'],
    ['خـ،ـسائر', 'خسائر'],
    ['خـ,ـسائر', 'خسائر'],
    ['خـ-ـسائر', 'خسائر'],
    ['خـ_ـسائر', 'خسائر'],
    ['خـ*ـسائر', 'خسائر'],
    ['خـ~ـسائر', 'خسائر'],
    ['خـ|ـسائر', 'خسائر'],
    ['خـ/ـسائر', 'خسائر'],
    ["خـ'ـسائر", 'خسائر'],
    ['خـ"ـسائر', 'خسائر'],
    ['خـ`ـسائر', 'خسائر'],
    ['خـ’ـسائر', 'خسائر'],
    ['خـ.؟.ـسائر', 'خسائر'],
    ['خـ\u200D.ـسائر', 'خسائر'],
  ])('joins %s into %s', (broken, whole) => {
    expect(restoreBrokenWords(broken)).toBe(whole);
  });

  it('removes pure elongation between letters', () => {
    expect(restoreBrokenWords('جميـــل جداً')).toBe('جميل جداً');
  });

  it('keeps the harakat of the letter before the break', () => {
    expect(restoreBrokenWords('بَـ.ـيان')).toBe('بَيان');
  });

  it('joins words written in Persian letters too', () => {
    expect(restoreBrokenWords('گـ.ـزارش')).toBe('گزارش');
  });

  it('restores a broken word inside quotes and keeps the quotes', () => {
    expect(restoreBrokenWords('قال: "الثـ.ـورية" مستمرة')).toBe('قال: "الثورية" مستمرة');
    expect(restoreBrokenWords('“خـ.ـسائر فـ.ـادحة”')).toBe('“خسائر فادحة”');
  });

  it('restores every broken word on a line, not only the first', () => {
    expect(restoreBrokenWords('هـ.ـجوم\nقصـ.ـف المـ.درعات')).toBe('هجوم\nقصف المدرعات');
  });

  it.each([
    'بعمق 1.2 كيلو متر',
    'من عيار 14.5 ملم',
    '3.14159',
    'v1.2.3',
    'site.com/a.b',
    'https://example.com/news/2024/01/article.html?id=5&x=y',
    'info@example.com',
    'د. أحمد',
    'قال أ.د. محمد',
    'ص.ب 1234',
    'م.ع',
    'كيلو متر.',
    'كيلو متر. وقال',
    'كيلو متر.\nوقال',
    'في عام 1445هـ.',
    'في عام 1445هـ. وقال',
    'في عام ١٤٤٥هـ.',
    'في 1445 هـ الموافق',
    '1400هـ.ش',
    '1445هـالموافق',
    'سنة 2023م.',
    '22/01/2024',
    '12:30',
    'e.g. this',
    'the U.S. army',
    'Mr. Smith',
    'كيف؟ ثم',
    'لماذا؟! قال',
    'انتظر...',
    'وهكذا… انتهى',
    'فادحة، ادّعت',
    '“بيان من الدفاع”',
    'ادّعت',
    'مرحباً',
    'الـ100 عنصر',
    'الـBMP',
    'بـ"داعش" قبل',
    'لـ«الجبهة الوطنية» أمس',
    'بـ“الدفاع” اليوم',
    'كـ(ذلك) أيضاً',
    'ص 12 جـ 3',
    'الأخبار ـ دمشق',
    'كـ رئيس',
    'سوريا-تركيا',
    'الشام/حلب',
    '(فيديو)',
    'رويترز:',
    'aـ.b',
    '\n\nسطر\n\n',
  ])('leaves %j unchanged', (text) => {
    expect(restoreBrokenWords(text)).toBe(text);
  });

  it('returns the very same string when there is no tatweel at all', () => {
    const text = 'نص بلا تطويل. 1.2';
    expect(restoreBrokenWords(text)).toBe(text);
  });

  it('restores a long document quickly', () => {
    const big = seedArticle.repeat(200);
    const started = performance.now();
    const restored = restoreBrokenWords(big);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(restored).not.toContain(TATWEEL);
  });
});
