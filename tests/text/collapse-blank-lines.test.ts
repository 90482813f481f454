import { describe, expect, it } from 'vitest';

import { collapseBlankLines } from '../../src/text/collapse-blank-lines.js';

describe('collapseBlankLines', () => {
  it('keeps at most one blank line between lines of text', () => {
    expect(collapseBlankLines(['أ', '', ' ', '\t', 'ب', '', 'ج'])).toEqual(['أ', '', 'ب', '', 'ج']);
  });

  it('drops blank lines at both ends', () => {
    expect(collapseBlankLines(['', ' ', 'أ', '', ''])).toEqual(['أ']);
  });

  it('returns nothing for blank input', () => {
    expect(collapseBlankLines(['', '  '])).toEqual([]);
    expect(collapseBlankLines([])).toEqual([]);
  });
});
