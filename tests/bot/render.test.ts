import { describe, expect, it } from 'vitest';
import type { BotContext } from '../../src/bot/context.js';
import { createI18n } from '../../src/bot/create-i18n.js';
import { inlineResult, parseInlineOffset } from '../../src/bot/features/inline-search.js';
import { displayText, highlightSnippet, renderSearchPage, searchPageKeyboard, type RenderableResult } from '../../src/bot/render.js';
import { cutText } from '../../src/text/index.js';
import { parsePageButtonData } from '../../src/bot/search-pages.js';

const i18n = createI18n('ar');
function contextIn(locale: 'ar' | 'en'): BotContext {
  return { t: (id: string, params?: Record<string, string | number>) => i18n.t(locale, id, params) } as unknown as BotContext;
}

function result(overrides: Partial<RenderableResult> = {}): RenderableResult {
  return {
    id: 1,
    sourceId: 1,
    sourceTitle: 'مدونة هادي العبد الله',
    headline: 'روسيا تدّعي سحب ميليشياتها من جنوب شرق إدلب وتقر بخسائرها',
    link: 'https://example.com/a?x=1&y=2',
    publishedAt: '2024-03-05T10:00:00Z',
    firstSeenAt: '2024-03-05T10:05:00Z',
    snippet: 'وتقر بخسائرها في معارك ريف إدلب',
    snippetMatches: ['بخسائرها'],
    ...overrides,
  };
}

/** What Telegram shows of an HTML message: tags dropped, entities decoded. */
function visible(html: string): string {
  return html
    .replace(/<[^<>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');
}

describe('highlighting the matched words of a snippet', () => {
  it('puts every occurrence of a matched word in bold', () => {
    expect(highlightSnippet('خسائر ثم خسائر', ['خسائر'])).toBe('<b>خسائر</b> ثم <b>خسائر</b>');
  });

  it('escapes the snippet, inside and outside the bold words', () => {
    expect(highlightSnippet('a <script> & "b<c"', ['b<c'])).toBe('a &lt;script&gt; &amp; &quot;<b>b&lt;c</b>&quot;');
  });

  it('prefers the longer of two matches that start together, and never nests bold', () => {
    expect(highlightSnippet('convoys convoy', ['convoy', 'convoys'])).toBe('<b>convoys</b> <b>convoy</b>');
    const html = highlightSnippet('abcdef', ['abcd', 'cdef']);
    expect(html).toBe('<b>abcd</b>ef');
  });

  it('leaves a snippet without matches as escaped text', () => {
    expect(highlightSnippet('x & y', [])).toBe('x &amp; y');
    expect(highlightSnippet('x & y', ['', 'z'])).toBe('x &amp; y');
  });

  it('stays fast on a hostile snippet with many overlapping matches', () => {
    const snippet = 'a'.repeat(200_000);
    const started = performance.now();
    const html = highlightSnippet(snippet, ['a', 'aa', 'aaa']);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(visible(html)).toBe(snippet);
  });
});

describe('display text from a feed', () => {
  it('removes bidi and control characters so they cannot reorder an answer', () => {
    // Removed, not replaced: a hidden character never splits the word it was slipped into.
    expect(displayText('abc\u202Egpj.exe\u2066x\u2069\u200F\u0007 y\n\tz')).toBe('abcgpj.exex y z');
  });

  it('cuts long text between whole characters with an ellipsis', () => {
    expect(cutText('abcdef', 6)).toBe('abcdef');
    expect(cutText('abcdef', 4)).toBe('abc…');
    const cut = cutText('ab😀cd', 4);
    expect(cut).toBe('ab…');
  });
});

describe('a page of search results', () => {
  it('shows each result as a linked headline, its source and date, and the snippet with matched words in bold', () => {
    const html = renderSearchPage(contextIn('ar'), 'نتائج', [result()]);
    expect(html).toContain('1. <a href="https://example.com/a?x=1&amp;y=2">روسيا تدّعي');
    expect(html).toContain('مدونة هادي العبد الله · 2024-03-05');
    expect(html).toContain('وتقر <b>بخسائرها</b> في معارك ريف إدلب');
  });

  it('numbers the results across pages', () => {
    const html = renderSearchPage(contextIn('en'), 'Results', [result({ id: 6 }), result({ id: 7 })], 5);
    expect(html).toMatch(/^6\. /m);
    expect(html).toMatch(/^7\. /m);
    expect(html).not.toMatch(/^1\. /m);
  });

  it('makes an Arabic line that starts with Latin or a number read right to left', () => {
    const html = renderSearchPage(contextIn('ar'), 'نتائج', [
      result({ headline: 'OCHA: عام الخسائر', snippet: 'UN تقول إن الخسائر كبيرة', snippetMatches: ['الخسائر'], sourceTitle: 'BBC عربي' }),
    ]);
    const lines = html.split('\n');
    // A line that starts with a number gets the mark too (issue 12 §4), whatever letter follows.
    expect(renderSearchPage(contextIn('ar'), 'نتائج', [result({ headline: '2024: عام الخسائر' })])).toContain('>\u200F2024: عام الخسائر</a>');
    expect(lines.find((line) => line.includes('عام الخسائر'))).toContain('>\u200FOCHA: عام الخسائر</a>');
    expect(lines.find((line) => line.includes('كبيرة'))!.startsWith('\u200FUN تقول')).toBe(true);
    expect(lines.find((line) => line.includes('BBC'))!.startsWith('\u200FBBC عربي')).toBe(true);
  });

  it('leaves English lines as they are', () => {
    const html = renderSearchPage(contextIn('en'), 'Results', [result({ headline: 'Convoy hit', snippet: 'A convoy was hit', snippetMatches: ['convoy'], sourceTitle: 'Wire' })]);
    expect(html).not.toContain('\u200F');
    expect(html).toContain('A <b>convoy</b> was hit');
  });

  it('escapes every field from the feed, and lets no bidi override through', () => {
    const html = renderSearchPage(contextIn('en'), 'Results', [
      result({
        headline: '<b>bold</b> \u202Eevil',
        sourceTitle: '<i>src</i>',
        link: 'https://e.com/"><script>',
        snippet: '</b><a href="x">',
        snippetMatches: ['a'],
      }),
    ]);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('\u202E');
    expect(html).toContain('href="https://e.com/&quot;&gt;&lt;script&gt;"');
    expect(html).toContain('&lt;/b&gt;&lt;<b>a</b> href=&quot;x&quot;&gt;');
  });

  it('shows a headline without a link when the article has none', () => {
    const html = renderSearchPage(contextIn('en'), 'Results', [result({ link: null })]);
    expect(html).not.toContain('<a ');
    expect(html).toContain('1. روسيا');
  });

  it('fits five results with the longest fields a feed may carry in one message', () => {
    const huge = (unit: string) => unit.repeat(1000);
    const results = Array.from({ length: 5 }, (_, index) =>
      result({ id: index, headline: huge('خسائر '), sourceTitle: huge('&'), snippet: huge('<b>'), snippetMatches: ['<b>'], link: `https://e.com/${'x'.repeat(1900)}` }),
    );
    const html = renderSearchPage(contextIn('ar'), 'نتائج', results);
    expect(visible(html).length).toBeLessThanOrEqual(4096);
    expect(html.split('<a href').length - 1).toBe(5);
  });
});

describe('the page buttons', () => {
  function buttons(page: number, hasMore: boolean, locale: 'ar' | 'en' = 'en') {
    const keyboard = searchPageKeyboard(contextIn(locale), 'abcdefgh', page, hasMore);
    return keyboard.inline_keyboard.flat().map((button) => ({ text: button.text, data: 'callback_data' in button ? button.callback_data : '' }));
  }

  it('offer only the next page on the first page', () => {
    const row = buttons(0, true);
    expect(row.map((button) => button.text)).toEqual(['Page 1', 'Next ›']);
    expect(parsePageButtonData(row[1]!.data)).toEqual({ id: 'abcdefgh', page: 1 });
  });

  it('offer previous and next in the middle, and only previous on the last page', () => {
    expect(buttons(2, true).map((button) => parsePageButtonData(button.data)!.page)).toEqual([1, 2, 3]);
    expect(buttons(3, false).map((button) => button.text)).toEqual(['‹ Previous', 'Page 4']);
  });

  it('are labelled in Arabic for Arabic readers', () => {
    expect(buttons(1, true, 'ar').map((button) => button.text)).toEqual(['‹ السابق', 'صفحة 2', 'التالي ›']);
  });
});

describe('an inline result', () => {
  it('has the headline as title, source · date · snippet as description, and the post with its link to share', () => {
    const article = inlineResult(result({ id: 42 }));
    expect(article.type).toBe('article');
    expect(article.id).toBe('42');
    expect(article.title).toBe('روسيا تدّعي سحب ميليشياتها من جنوب شرق إدلب وتقر بخسائرها');
    expect(article.description).toBe('مدونة هادي العبد الله · 2024-03-05 · وتقر بخسائرها في معارك ريف إدلب');
    const content = article.input_message_content as { message_text: string; parse_mode: string };
    expect(content.parse_mode).toBe('HTML');
    expect(content.message_text).toContain('<b>روسيا تدّعي');
    expect(content.message_text).toContain('href="https://example.com/a?x=1&amp;y=2"');
  });

  it('keeps feed text short, plain, and free of bidi controls', () => {
    const article = inlineResult(result({ headline: `\u202E${'word '.repeat(500)}`, snippet: 'x'.repeat(1000) }));
    expect(article.title.length).toBeLessThanOrEqual(120);
    expect(article.title).not.toContain('\u202E');
    expect(article.description!.length).toBeLessThanOrEqual(200);
  });

  it('reads the offset Telegram echoes back as a page number, anything else as the first page', () => {
    expect(parseInlineOffset('')).toBe(0);
    expect(parseInlineOffset('3')).toBe(3);
    expect(parseInlineOffset('-1')).toBe(0);
    expect(parseInlineOffset('1e9')).toBe(0);
    expect(parseInlineOffset('999')).toBe(0);
  });
});
