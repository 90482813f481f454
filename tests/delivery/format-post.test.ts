import { describe, expect, it } from 'vitest';
import {
  composePost,
  formatDigest,
  formatPost,
  plainTextOf,
  postLimits,
  shortPostLimits,
  telegramCaptionLimit,
} from '../../src/delivery/format-post.js';
import type { DigestEntry } from '../../src/store/store.js';
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

describe('a post in the chat’s style (composePost)', () => {
  const item = {
    headline: 'قصف على حلب',
    link: 'https://example.com/a?b=1&c=2',
    summary: 'قالت مصادر محلية إن القصف استهدف <الأحياء> الشرقية & الغربية.',
    imageUrl: 'https://example.com/a.jpg',
  };
  const style = (value: 'headline' | 'summary' | 'photo') => ({ style: value });

  it('headline: the headline and the link, no summary even when the item has one', () => {
    expect(composePost({ ...item, settings: style('headline') })).toEqual({ kind: 'text', html: '<b>قصف على حلب</b>\n<a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a>' });
  });

  it('summary: the headline, then the escaped summary, then the link', () => {
    const post = composePost({ ...item, settings: style('summary') });
    expect(post).toEqual({
      kind: 'text',
      html: '<b>قصف على حلب</b>\nقالت مصادر محلية إن القصف استهدف &lt;الأحياء&gt; الشرقية &amp; الغربية.\n<a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a>',
    });
    expect(checkMessageText((post as { html: string }).html, 'HTML')).toBeUndefined();
  });

  it('summary without a summary is the headline post', () => {
    expect(composePost({ ...item, summary: null, settings: style('summary') })).toEqual(composePost({ ...item, settings: style('headline') }));
  });

  it('summary: a summary longer than the cap is cut, and the shortened resend cuts it further', () => {
    const long = { ...item, summary: 'كلمة '.repeat(200) };
    const html = (composePost({ ...long, settings: style('summary') }) as { html: string }).html;
    const summaryLine = html.split('\n')[1]!;
    expect(summaryLine.length).toBeLessThanOrEqual(postLimits.summary!);
    expect(summaryLine.endsWith('…')).toBe(true);
    const short = (composePost({ ...long, settings: style('summary') }, { limits: shortPostLimits }) as { html: string }).html;
    expect(short.split('\n')[1]!.length).toBeLessThanOrEqual(shortPostLimits.summary!);
  });

  it('photo: the item’s picture with the headline and the link as the caption', () => {
    expect(composePost({ ...item, settings: style('photo') })).toEqual({
      kind: 'photo',
      photo: 'https://example.com/a.jpg',
      caption: '<b>قصف على حلب</b>\n<a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a>',
    });
  });

  it('photo: a caption stays within Telegram’s 1,024 whatever the headline and link', () => {
    const huge = { ...item, headline: 'خبر '.repeat(2000), link: `https://example.com/${'x'.repeat(3000)}` };
    const post = composePost({ ...huge, settings: style('photo') });
    expect(post.kind).toBe('photo');
    const caption = (post as { caption: string }).caption;
    expect(plainTextOf(caption).length).toBeLessThanOrEqual(telegramCaptionLimit);
    expect(checkMessageText(caption, 'HTML', telegramCaptionLimit)).toBeUndefined();
  });

  it('photo: the text post when the item has no picture, or once Telegram refused it', () => {
    const text = composePost({ ...item, settings: style('headline') });
    expect(composePost({ ...item, imageUrl: null, settings: style('photo') })).toEqual(text);
    expect(composePost({ ...item, settings: style('photo') }, { textOnly: true })).toEqual(text);
  });
});

describe('a digest message (formatDigest)', () => {
  const entry = (n: number, extra: Partial<DigestEntry> = {}): DigestEntry => ({
    itemId: n,
    headline: `خبر رقم ${n}`,
    link: `https://example.com/${n}?a=1&b=2`,
    sourceTitle: 'عنب بلدي',
    ...extra,
  });

  it('opens with the heading in bold and lists each headline linked, with its source, every string escaped', () => {
    const parts = formatDigest([entry(1), entry(2, { headline: 'Tom & <Jerry>', sourceTitle: 'A <b>' }), entry(3, { link: null, sourceTitle: null })], 'Digest: 3 headlines');
    expect(parts).toEqual([
      {
        entries: 3,
        html: [
          '<b>Digest: 3 headlines</b>',
          '',
          '• <a href="https://example.com/1?a=1&amp;b=2">خبر رقم 1</a> — عنب بلدي',
          '• <a href="https://example.com/2?a=1&amp;b=2">Tom &amp; &lt;Jerry&gt;</a> — A &lt;b&gt;',
          '• خبر رقم 3',
        ].join('\n'),
      },
    ]);
    expect(checkMessageText(parts[0]!.html, 'HTML')).toBeUndefined();
  });

  it('splits a long digest into messages Telegram accepts, only between lines, the heading on the first', () => {
    const entries = Array.from({ length: 100 }, (_, n) => entry(n, { headline: `${'عنوان طويل '.repeat(25)}${n}` }));
    const parts = formatDigest(entries, 'Digest: 100 headlines');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.reduce((sum, part) => sum + part.entries, 0)).toBe(100);
    for (const part of parts) {
      expect(checkMessageText(part.html, 'HTML')).toBeUndefined();
      expect(plainTextOf(part.html).length).toBeLessThanOrEqual(4096);
      expect(part.html.split('\n').filter((line) => line.startsWith('• '))).toHaveLength(part.entries);
    }
    expect(parts[0]!.html.startsWith('<b>Digest: 100 headlines</b>')).toBe(true);
    expect(parts.slice(1).every((part) => part.html.startsWith('• '))).toBe(true);
    // Every headline in order, none lost or repeated across the messages.
    const numbers = parts.flatMap((part) => [...part.html.matchAll(/(\d+)<\/a>/g)].map((match) => Number(match[1])));
    expect(numbers).toEqual(entries.map((_, n) => n));
  });

  it('has no heading line when none is given', () => {
    expect(formatDigest([entry(1)], null)[0]!.html.startsWith('• ')).toBe(true);
  });
});
