import { describe, expect, it } from 'vitest';

import * as text from '../../src/text/index.js';

describe('text module entry point', () => {
  it('exposes every word rule the rest of the app imports', () => {
    expect(Object.keys(text)).toEqual(
      expect.arrayContaining([
        'collapseBlankLines',
        'escapeHtml',
        'htmlToText',
        'makeHeadline',
        'normalizeForSearch',
        'restoreBrokenWords',
        'searchTokens',
        'stripBoilerplate',
        'startsRightToLeft',
        'textRulesVersion',
        'stemWord',
        'indexTokens',
        'queryTerm',
        'cleanDisplayText',
        'displayUrl',
        'learnSignatures',
      ]),
    );
  });

  it('gives the index the stem of a prefixed word through the entry point', () => {
    expect(text.indexTokens('بخسائرها')).toBe('بخسائرها خسائر');
    expect(text.queryTerm('خسائر')).toEqual({ surface: 'خسائر', stem: 'خسائر', prefix: true });
  });

  it('joins a broken word through the entry point as through its own file', () => {
    expect(text.restoreBrokenWords('خـ.ـسائر')).toBe('خسائر');
  });
});
