import type { IndexQuery, IndexTerm } from '../../src/store/store.js';

/** A term as given (its own stem), a prefix when it has 4+ letters, as text/'s queryTerm would allow. */
export function term(surface: string, stem = surface): IndexTerm {
  return { surface, stem, prefix: [...surface].length >= 4 };
}

/** An index query for these words, each one a term that must match. */
export function wordsQuery(...words: string[]): IndexQuery {
  return { terms: words.map((word) => term(word)), phrases: [], excluded: [] };
}
