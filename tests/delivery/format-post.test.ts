import { describe, expect, it } from 'vitest';
import { formatPost } from '../../src/delivery/format-post.js';

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
    // Digits are weak: the first Arabic letter already makes the line right to left.
    expect(formatPost({ headline: '100 عنصر', link: null })).toBe('<b>100 عنصر</b>');
    expect(text.split('\n')[1]).not.toMatch(/[\u200E\u200F]/);
    expect(formatPost({ headline: 'روسيا تدّعي', link: null })).toBe('<b>روسيا تدّعي</b>');
    expect(formatPost({ headline: 'English 2 words', link: null })).toBe('<b>English 2 words</b>');
  });
});
