import type { IndexTerm } from './store.js';

/**
 * A phrase's words as the index holds them, for both backends' phrase queries: each word is followed
 * by its other forms (its stem, sometimes another reading: see IndexTerm.indexForms), so the words of
 * a phrase are consecutive only counting those. The last word's other forms are left out: matching
 * the start of its run is enough.
 */
export function phraseTokens(words: IndexTerm[]): string[] {
  const tokens: string[] = [];
  words.forEach((word, index) => {
    if (index === words.length - 1) tokens.push(word.surface);
    else if (word.indexForms && word.indexForms.length > 0) tokens.push(...word.indexForms);
    else tokens.push(word.surface, ...(word.stem !== '' && word.stem !== word.surface ? [word.stem] : []));
  });
  return tokens;
}
