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
      ]),
    );
  });

  it('joins a broken word through the entry point as through its own file', () => {
    expect(text.restoreBrokenWords('خـ.ـسائر')).toBe('خسائر');
  });
});
