import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../src/bot/reply.js';

describe('splitting a long answer', () => {
  it('leaves a short answer whole', () => {
    expect(splitMessage('<b>1</b>. one\n<b>2</b>. two')).toEqual(['<b>1</b>. one\n<b>2</b>. two']);
  });

  it('splits between lines, never inside a line, and loses no line', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `<b>${i + 1}</b>. مصدر رقم ${i + 1} — <a href="https://example.com/${i}">رابط</a>`);
    const parts = splitMessage(lines.join('\n'), 1000);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1000);
      expect(part.split('<b>').length).toBe(part.split('</b>').length);
    }
    expect(parts.join('\n').split('\n')).toEqual(lines);
  });

  it('cuts a single over-long line at a space', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const parts = splitMessage(words.join(' '), 500);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(500);
    expect(parts.join(' ').split(' ')).toEqual(words);
  });
});
