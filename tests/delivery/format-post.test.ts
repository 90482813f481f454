import { describe, expect, it } from 'vitest';
import { formatPost, plainTextOf, shortPostLimits } from '../../src/delivery/format-post.js';
import { checkMessageText } from '../helpers/fake-telegram.js';

describe('a post', () => {
  it('is the bold headline and the link, with feed strings escaped for HTML', () => {
    const text = formatPost({ headline: 'Tom & <Jerry> "live"', link: 'https://example.com/a?b=1&c=<2>' });
    expect(text).toBe(
      '<b>Tom &amp; &lt;Jerry&gt; &quot;live&quot;</b>\n<a href="https://example.com/a?b=1&amp;c=&lt;2&gt;">https://example.com/a?b=1&amp;c=&lt;2&gt;</a>',
    );
  });

  it('shows an Arabic slug readably while linking the exact URL', () => {
    const link = 'https://example.com/%D8%AE%D8%B3%D8%A7%D8%A6%D8%B1/';
    const text = formatPost({ headline: 'خسائر', link });
    expect(text).toContain(`href="${link}"`);
    expect(text).toContain('>https://example.com/خسائر/</a>');
  });

  it('reads right to left when an Arabic headline starts with a Latin word, with no mark in the URL', () => {
    const text = formatPost({ headline: 'BMP عربة مدرعة تعطب في إدلب', link: 'https://example.com/x' });
    expect(text.startsWith('<b>\u200FBMP عربة')).toBe(true);
    // A line starting with a number gets the mark too (issue 12 §4), harmless before an Arabic word.
    expect(formatPost({ headline: '100 عنصر', link: null })).toBe('<b>\u200F100 عنصر</b>');
    expect(text.split('\n')[1]).not.toMatch(/[\u200E\u200F]/);
    expect(formatPost({ headline: 'روسيا تدّعي', link: null })).toBe('<b>روسيا تدّعي</b>');
    expect(formatPost({ headline: 'English 2 words', link: null })).toBe('<b>English 2 words</b>');
  });

  it('keeps bidi and control characters from the feed out of the headline and out of the link’s visible text', () => {
    const link = 'https://example.com/%E2%80%AEfdp.exe/\u202Etxt';
    const text = formatPost({ headline: 'عاجل\u202E: خبر\u0007', link });
    const shown = /<a href="[^"]*">([^<]*)<\/a>/.exec(text)?.[1] ?? '';
    const bidiOrControl = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u0000-\u0008]/u;
    expect(shown).not.toMatch(bidiOrControl);
    expect(text.split('\n')[0]).not.toMatch(bidiOrControl);
    expect(shown).toContain('%E2%80%AE');
    expect(text).toContain('<b>عاجل: خبر</b>');
  });

  it('caps the headline and the link’s visible text, never cutting a surrogate pair or an escape, and links the whole URL', () => {
    const link = `https://example.com/?q=${'<&>'.repeat(1700)}`;
    const text = formatPost({ headline: `😀${'😀&'.repeat(3000)}`, link });
    expect(checkMessageText(text, 'HTML')).toBeUndefined();
    const headline = /^<b>([^<>]*)<\/b>/.exec(text)![1]!;
    expect(headline.endsWith('…')).toBe(true);
    expect(headline).not.toMatch(/[\uD800-\uDBFF]…$|&[a-z]*…$/);
    expect(text).toContain(`href="${link.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}"`);
    const short = formatPost({ headline: 'x'.repeat(5000), link }, shortPostLimits);
    expect(plainTextOf(short).length).toBeLessThanOrEqual(shortPostLimits.headline + 1 + shortPostLimits.linkText);
  });

  it('reads back as the plain text a reader would see: tags dropped, entities decoded once', () => {
    const html = formatPost({ headline: 'Tom &amp; <Jerry> "x"', link: 'https://example.com/a?b=1&c=2' });
    expect(plainTextOf(html)).toBe('Tom &amp; <Jerry> "x"\nhttps://example.com/a?b=1&c=2');
  });
});
