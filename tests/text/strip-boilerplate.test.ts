import { describe, expect, it } from 'vitest';

import { stripBoilerplate } from '../../src/text/strip-boilerplate.js';
import { seedArticle } from './seed-article.js';

const SKIP_LINK = 'تخطى إلى المحتوى';
const SIGNATURE = 'مدونة هادي العبد الله';

function nonBlankLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('stripBoilerplate', () => {
  it('removes the skip link and the "read also" line of the seed and keeps every other paragraph', () => {
    const stripped = stripBoilerplate(seedArticle);
    const expected = nonBlankLines(seedArticle).filter(
      (line) => line !== SKIP_LINK && !line.startsWith('إقرأ أيضاً'),
    );
    expect(nonBlankLines(seedArticle).length - expected.length).toBe(2);
    expect(nonBlankLines(stripped)).toEqual(expected);
    expect(stripped).not.toContain('ضابط في جيش الأسد');
    expect(stripped.split('\n').at(-1)).toBe(SIGNATURE);
  });

  it('keeps the paragraphs separated by exactly one blank line', () => {
    const stripped = stripBoilerplate(seedArticle);
    expect(stripped.startsWith('روسيا تدّعي')).toBe(true);
    expect(stripped).not.toMatch(/\n\s*\n\s*\n/);
    expect(stripped.split('\n\n')).toEqual(nonBlankLines(stripped));
  });

  it('removes the learned signature line when given', () => {
    const stripped = stripBoilerplate(seedArticle, { signatures: [SIGNATURE] });
    expect(stripped).not.toContain(SIGNATURE);
    expect(stripped.endsWith('وغرفة عمــ.ليات بمن فيها وما فيها.')).toBe(true);
  });

  it('matches a signature spelled with a different yeh or with tatweel', () => {
    expect(stripBoilerplate('نص\n\nمدونة هادى العبـد الله', { signatures: [SIGNATURE] })).toBe('نص');
  });

  it('keeps a paragraph that merely contains the signature', () => {
    const text = `نقلت ${SIGNATURE} الخبر.`;
    expect(stripBoilerplate(text, { signatures: [SIGNATURE] })).toBe(text);
  });

  it('ignores empty signatures', () => {
    expect(stripBoilerplate('نص\n\n...', { signatures: [''] })).toBe('نص\n\n...');
  });

  it.each([
    'تخطى إلى المحتوى',
    'تخطي الى المحتوى',
    'انتقل إلى المحتوى',
    'Skip to content',
    'skip to main content',
    '  Skip to content  ',
  ])('removes the skip link %j', (line) => {
    expect(stripBoilerplate(`${line}\nالخبر`)).toBe('الخبر');
  });

  it.each([
    'إقرأ أيضاً : ضابط في جيش الأسد يعرض على عناصره مليون ليرة',
    'اقرأ أيضا: عنوان آخر',
    'اقرأ ايضاً عنوان آخر',
    'إقرأ أيضًا: عنوان آخر',
    'اقـرأ أيضـاً: عنوان آخر',
    'Read also: another story',
    'READ MORE: another story',
    'Read more',
    'Related: another story',
    'Related articles: one, two',
  ])('removes the whole "read also" line %j', (line) => {
    expect(stripBoilerplate(`قبل\n\n${line}\n\nبعد`)).toBe('قبل\n\nبعد');
  });

  it('removes a "read also" heading with the list of headlines under it', () => {
    const text = 'قبل\n\nاقرأ أيضاً:\nعنوان أول\nعنوان ثان\n\nبعد';
    expect(stripBoilerplate(text)).toBe('قبل\n\nبعد');
  });

  it('removes the list under a heading that ends with a colon, even when HTML put a blank line between them', () => {
    const text = 'قبل\n\nاقرأ أيضاً:\n\nالليرة السورية تسجل أدنى مستوى لها\nارتفاع جنوني في أسعار الخبز\n\nبعد';
    expect(stripBoilerplate(text)).toBe('قبل\n\nبعد');
    // A long line after the heading is the story going on, not a list item.
    const story = 'نص طويل '.repeat(30).trim();
    expect(stripBoilerplate(`اقرأ أيضاً:\n\n${story}`)).toBe(story);
  });

  it('keeps English sentences that only start like a marker', () => {
    const text = 'Related to the attack, two were hurt.\nRead more about it tomorrow.';
    expect(stripBoilerplate(text)).toBe(text);
  });

  it('keeps a line that mentions a marker after its start', () => {
    const text = 'قال المحرر: اقرأ أيضاً ما كتبناه أمس.';
    expect(stripBoilerplate(text)).toBe(text);
  });

  it('keeps a line that starts with a longer word beginning like a marker', () => {
    const text = 'Relatedness matters.';
    expect(stripBoilerplate(text)).toBe(text);
  });

  it('leaves other lines byte for byte, tatweel and spacing included', () => {
    const text = 'بخـ.سائرها  “بيان”\n  سطر بمسافة';
    expect(stripBoilerplate(text)).toBe(text);
  });

  it('accepts Windows line endings', () => {
    expect(stripBoilerplate('Skip to content\r\nالخبر\r\n')).toBe('الخبر');
  });
});
