import { describe, expect, it } from 'vitest';

import { cleanDisplayText, displayUrl } from '../../src/text/display-text.js';

const BIDI_AND_INVISIBLE = [
  '\u200B', '\u200C', '\u200D', '\u200E', '\u200F',
  '\u202A', '\u202B', '\u202C', '\u202D', '\u202E',
  '\u2066', '\u2067', '\u2068', '\u2069',
  '\u061C', '\uFEFF', '\u00AD',
];

describe('cleanDisplayText', () => {
  it.each(BIDI_AND_INVISIBLE.map((character) => [character.codePointAt(0)!.toString(16).toUpperCase(), character]))(
    'removes U+%s from a headline',
    (_code, character) => {
      expect(cleanDisplayText(`خبر${character} عاجل`)).toBe('خبر عاجل');
    },
  );

  it('removes C0 and C1 controls and DEL but keeps tabs and line breaks', () => {
    expect(cleanDisplayText('a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Bg')).toBe('abcdefg');
    expect(cleanDisplayText('سطر\nسطر\tثان')).toBe('سطر\nسطر\tثان');
  });

  it('keeps letters, harakat, digits, emoji and ordinary punctuation', () => {
    const text = 'مَدْرَسَةٌ «عاجل»: 15 قتيلاً — AT&T 😀 ١٤٤٥هـ.';
    expect(cleanDisplayText(text)).toBe(text);
  });

  it('stops an override in a source title from reversing the text after it', () => {
    expect(cleanDisplayText('Reuters\u202E تقرير')).toBe('Reuters تقرير');
  });
});

describe('displayUrl', () => {
  it('shows an ordinary URL as it is', () => {
    expect(displayUrl('https://example.com/news/2024/05/article?id=12#top')).toBe(
      'https://example.com/news/2024/05/article?id=12#top',
    );
  });

  it('decodes an Arabic slug so a reader can read it', () => {
    expect(displayUrl('https://example.com/%D8%AE%D8%A8%D8%B1')).toBe('https://example.com/خبر');
  });

  it('percent-encodes a raw right-to-left override so it cannot reorder the link', () => {
    expect(displayUrl('https://example.com/\u202Egpj.exe')).toBe('https://example.com/%E2%80%AEgpj.exe');
  });

  it('keeps an override written as an escape encoded instead of decoding it', () => {
    expect(displayUrl('https://example.com/%E2%80%AEfdp.exe')).toBe('https://example.com/%E2%80%AEfdp.exe');
  });

  it('encodes every bidi, invisible and control character and every space', () => {
    for (const character of [...BIDI_AND_INVISIBLE, '\u0000', '\n', '\u0085', ' ', '\u00A0', '\u2028', '\u3000']) {
      const shown = displayUrl(`https://example.com/a${character}b`);
      expect(shown).toBe(`https://example.com/a${encodeURIComponent(character)}b`);
    }
  });

  it('shows a malformed escape as written', () => {
    expect(displayUrl('https://example.com/%E2%80')).toBe('https://example.com/%E2%80');
  });

  it('cuts a long URL with an ellipsis, never inside an escape', () => {
    const url = 'https://example.com/' + '\u202E'.repeat(100);
    const shown = displayUrl(url, 40);
    expect(shown.length).toBeLessThanOrEqual(40);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.slice(0, -1)).toMatch(/^https:\/\/example\.com\/(%E2%80%AE)*$/);
  });

  it('cuts a long URL never inside a surrogate pair', () => {
    const shown = displayUrl('https://example.com/' + '😀'.repeat(50), 30);
    expect(shown).not.toMatch(/\p{Cs}/u);
    expect(shown.length).toBeLessThanOrEqual(30);
  });
});
