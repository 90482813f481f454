import { describe, expect, it } from 'vitest';

import { learnSignatures } from '../../src/text/learn-signatures.js';
import { stripBoilerplate } from '../../src/text/strip-boilerplate.js';

const SIGNATURE = 'جميع الحقوق محفوظة لمدونة الجنوب';

function article(index: number, signature: string | null = SIGNATURE): string {
  const lines = [`خبر رقم ${index}: قصف على بلدة ${index}.`, '', `تفاصيل الخبر ${index} في فقرة طويلة.`];
  if (signature !== null) lines.push('', signature);
  return lines.join('\n');
}

describe('learnSignatures', () => {
  it('learns a line present in at least half of five or more bodies', () => {
    const bodies = [0, 1, 2, 3, 4, 5].map((index) => article(index, index < 3 ? SIGNATURE : null));
    expect(learnSignatures(bodies)).toEqual([SIGNATURE]);
  });

  it('learns nothing from fewer than five bodies', () => {
    expect(learnSignatures([0, 1, 2, 3].map((index) => article(index)))).toEqual([]);
  });

  it('ignores a line present in fewer than half of the bodies', () => {
    const bodies = [0, 1, 2, 3, 4, 5, 6].map((index) => article(index, index < 3 ? SIGNATURE : null));
    expect(learnSignatures(bodies)).toEqual([]);
  });

  it('counts a line once per body, however often a body repeats it', () => {
    const bodies = [article(0, `${SIGNATURE}\n${SIGNATURE}\n${SIGNATURE}`), ...[1, 2, 3, 4, 5].map((i) => article(i, null))];
    expect(learnSignatures(bodies)).toEqual([]);
  });

  it('ignores lines longer than 120 characters', () => {
    const long = 'فقرة مكررة '.repeat(15).trim();
    expect(learnSignatures([0, 1, 2, 3, 4].map((index) => article(index, long)))).toEqual([]);
  });

  it('sees a signature through tatweel, hamza and spacing variants and returns it as first written', () => {
    const variants = [SIGNATURE, 'جميع الحقـوق محفوظة لمدونة الجنوب', '  جميع الحقوق محفوظه لمدونة الجنوب ', SIGNATURE, SIGNATURE];
    expect(learnSignatures(variants.map((signature, index) => article(index, signature)))).toEqual([SIGNATURE]);
  });

  it('ignores lines without words and blank bodies', () => {
    const bodies = [0, 1, 2, 3, 4].map((index) => article(index, '* * *'));
    expect(learnSignatures([...bodies, '', ' ', '\n'])).toEqual([]);
  });

  it('finds a signature at the end of a body of hundreds of lines', () => {
    const long = Array.from({ length: 500 }, (_, line) => `سطر ${line} من المقال`).join('\n');
    const bodies = [0, 1, 2, 3, 4].map((index) => `${index}\n${long}\n${SIGNATURE}`);
    expect(learnSignatures(bodies)).toContain(SIGNATURE);
  });

  it('gives lines that stripBoilerplate then removes from every body', () => {
    const bodies = [0, 1, 2, 3, 4, 5].map((index) => article(index));
    const signatures = learnSignatures(bodies);
    for (const body of bodies) expect(stripBoilerplate(body, { signatures })).not.toContain('الحقوق');
    expect(stripBoilerplate(bodies[0]!, { signatures })).toContain('تفاصيل الخبر 0');
  });
});
