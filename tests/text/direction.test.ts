import { describe, expect, it } from 'vitest';

import { startsRightToLeft } from '../../src/text/direction.js';

const RLM = '\u200F';
const ARABIC_HEADLINE = 'روسيا تقر بخسائرها';

describe('startsRightToLeft', () => {
  it.each([
    ['a Latin word', 'Reuters: روسيا تقر بخسائرها'],
    ['a number', '15 قتيلاً في غارة'],
    ['a date', '2024-05-01 قصف على إدلب'],
    ['a guillemet', '«BMP» مركبة روسية'],
    ['a URL', 'https://example.com/a خبر عاجل'],
    ['a quote in Latin', '"BMP" مركبة روسية'],
  ])('puts a right-to-left mark before an Arabic line that starts with %s', (_case, line) => {
    expect(startsRightToLeft(line)).toBe(RLM + line);
  });

  it('leaves a line that starts with an Arabic letter unchanged', () => {
    expect(startsRightToLeft(ARABIC_HEADLINE)).toBe(ARABIC_HEADLINE);
    expect(startsRightToLeft('عاجل: BMP')).toBe('عاجل: BMP');
  });

  it('leaves a line without Arabic unchanged when it stands alone', () => {
    expect(startsRightToLeft('Reuters · 2024-05-01')).toBe('Reuters · 2024-05-01');
  });

  it.each([
    ['a source name and a date', 'Reuters · 2024-05-01'],
    ['a number only', '2024-05-01'],
    ['a URL', 'https://example.com/news/1'],
  ])('makes %s read right to left under an Arabic headline', (_case, line) => {
    expect(startsRightToLeft(line, { under: ARABIC_HEADLINE })).toBe(RLM + line);
  });

  it('leaves a Latin line under a Latin headline unchanged', () => {
    expect(startsRightToLeft('Reuters · 2024-05-01', { under: 'Convoy hit near Idlib' })).toBe(
      'Reuters · 2024-05-01',
    );
  });

  it('adds the mark once, however often it is applied', () => {
    const once = startsRightToLeft('BMP مركبة', { under: ARABIC_HEADLINE });
    expect(startsRightToLeft(once, { under: ARABIC_HEADLINE })).toBe(once);
  });
});
