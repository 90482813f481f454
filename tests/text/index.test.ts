import { describe, expect, it } from 'vitest';

import * as text from '../../src/text/index.js';
import { seedArticle, seedTitle } from './seed-article.js';

/**
 * The rest of the app reaches every word rule through this entry point. Most of them take a string
 * and give a string, so a re-export wired to the wrong file would still type-check: each rule is
 * called here through the index with an input only it would answer this way.
 */
describe('text module entry point', () => {
  const stringRules: Array<[name: string, rule: (input: string) => unknown, input: string, expected: unknown]> = [
    ['escapeHtml escapes markup', text.escapeHtml, '<a href="x">&</a>', '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'],
    ['htmlToText turns paragraphs into lines and decodes entities', text.htmlToText, '<p>one &amp; two</p><p>three</p>', 'one & two\n\nthree'],
    // Only the restoring rule keeps hamza, teh marbuta and punctuation while it joins the broken words.
    ['restoreBrokenWords joins broken words and keeps the spelling', text.restoreBrokenWords, 'إدلب: خـ.ـسائر الثــ؟ورية، «بيان»', 'إدلب: خسائر الثورية، «بيان»'],
    ['normalizeForSearch folds hamza and teh marbuta and sees through the break', text.normalizeForSearch, 'الثــ؟ورية أحمد', 'الثوريه احمد'],
    ['searchTokens splits into normalised words', text.searchTokens, 'Convoys, الثورية!', ['convoys', 'الثوريه']],
    ['stemWord takes an English plural to its stem', text.stemWord, 'convoys', 'convoy'],
    ['stemWord takes an Arabic prefix and suffix off', text.stemWord, 'بخسائرها', 'خسائر'],
    ['indexTokens gives the surface and the stem of a prefixed word', text.indexTokens, 'بخسائرها', 'بخسائرها خسائر'],
    ['startsRightToLeft puts a right-to-left mark before an Arabic line starting with a number', text.startsRightToLeft, '2024 عام', '\u200f2024 عام'],
    ['cleanDisplayText removes bidi overrides and control characters', text.cleanDisplayText, 'a\u202eb\u0007c', 'abc'],
  ];

  it.each(stringRules)('%s', (_name, rule, input, expected) => {
    expect(rule(input)).toEqual(expected);
  });

  it('gives a query word the forms the index holds for it', () => {
    expect(text.queryTerm('خسائر')).toEqual({ surface: 'خسائر', stem: 'خسائر', prefix: true });
  });

  it('collapses runs of blank lines to one', () => {
    expect(text.collapseBlankLines(['a', '', '', 'b', ''])).toEqual(['a', '', 'b']);
  });

  it('shows a link readably: escapes decoded, a long one cut with an ellipsis after its host', () => {
    expect(text.displayUrl('https://example.com/%D8%AE%D8%A8%D8%B1?a=1')).toBe('https://example.com/خبر?a=1');
    const shown = text.displayUrl(`https://example.com/${'x'.repeat(300)}`);
    expect(shown).toMatch(/^https:\/\/example\.com\/x+…$/);
    expect(shown.length).toBeLessThan(300);
  });

  it('cuts a display text to a length, ending it with an ellipsis', () => {
    expect(text.cutText('one two three four five six', 12)).toBe('one two thr…');
    expect(text.cutText('short', 12)).toBe('short');
  });

  it('sums an article up in its lead sentences, its broken words restored', () => {
    expect(text.makeSummary('قالت الوزارة إن الخـ.ـسائر كبيرة. وأضافت شيئًا آخر.', 'عنوان')).toBe('قالت الوزارة إن الخسائر كبيرة. وأضافت شيئًا آخر.');
  });

  it('learns a line that every body repeats, and strips it as a signature', () => {
    const bodies = Array.from({ length: 6 }, (_, i) => `خبر رقم ${i} عن شيء مختلف\nتابعونا على تلغرام`);
    const signatures = text.learnSignatures(bodies);
    expect(signatures).toEqual(['تابعونا على تلغرام']);
    expect(text.stripBoilerplate('نص الخبر\nتابعونا على تلغرام', { signatures })).toBe('نص الخبر');
  });

  it('takes the seed article from page text to a clean headline and searchable words, as the pipeline does', () => {
    const body = text.stripBoilerplate(seedArticle);
    expect(body).not.toContain('تخطى إلى المحتوى');
    expect(body).not.toContain('إقرأ أيضاً');
    const restoredTitle = 'روسيا تدّعي سحب ميليشياتها من جنوب شرق إدلب وتقر بخسائرها “بيان من الدفاع”';
    expect(text.makeHeadline({ title: seedTitle, text: body })).toBe(restoredTitle);
    expect(text.makeHeadline({ title: null, text: seedArticle })).toBe(restoredTitle);
    // The body spells خـ.ـسائر and الثــ؟ورية; the index holds them as a search would ask for them.
    const indexed = text.indexTokens(text.restoreBrokenWords(body)).split(' ');
    expect(indexed).toContain(text.queryTerm('خسائر')!.stem);
    expect(indexed).toContain(text.normalizeForSearch('الثورية'));
  });
});
