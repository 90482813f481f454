/**
 * What the search index receives for a text, and what a typed query word is looked up as. Both
 * sides go through the same normalisation and the same stemmer, in JavaScript, so any backend
 * (FTS5 `unicode61` today, PostgreSQL `simple` later) indexes and matches exactly the same tokens.
 */

import { normalizeForSearch } from './normalize-for-search.js';
import { MAX_STEMMED_LENGTH, stemWord, withoutOneLetterPrefix } from './stem-word.js';

/**
 * The version of the word rules behind {@link indexTokens}. Bump it whenever a change to
 * normalisation or stemming changes the tokens of any text: the store rebuilds the index of every
 * item made with another version.
 */
export const textRulesVersion = 2;

/** Most tokens one text gives the index (a word and each other form of it count apart). */
export const MAX_INDEX_TOKENS = 20_000;

/** A query word reaches prefix matching from this many letters on (`خسا` would match too much). */
const MIN_PREFIX_LETTERS = 4;

/**
 * Words longer than this are cut to it, on both sides, so a hostile run of letters cannot make one
 * huge token; a query for the long word still matches, as a prefix.
 */
const MAX_TOKEN_LENGTH = MAX_STEMMED_LENGTH;

function capWord(word: string): string {
  if (word.length <= MAX_TOKEN_LENGTH) return word;
  const code = word.charCodeAt(MAX_TOKEN_LENGTH - 1);
  // Never leave half a surrogate pair at the end.
  const end = code >= 0xd800 && code <= 0xdbff ? MAX_TOKEN_LENGTH - 1 : MAX_TOKEN_LENGTH;
  return word.slice(0, end);
}

/**
 * The space-separated tokens the index receives for `text`: for each word of
 * `normalizeForSearch(text)`, the word and, right after it when different, its stem
 * (`وتقر بخسائرها` → `وتقر بخسائرها خسائر`); and for a short word that may start with a one-letter
 * conjunction or preposition the stemmer could not be sure of, that reading too
 * (`بغزه` → `بغزه بغز غزه`). Words are cut to 64 characters; at most {@link MAX_INDEX_TOKENS}
 * tokens, a word never separated from its other forms. Linear time.
 */
export function indexTokens(text: string): string {
  const normalized = normalizeForSearch(text);
  const tokens: string[] = [];
  let start = 0;
  while (start < normalized.length && tokens.length < MAX_INDEX_TOKENS) {
    let end = normalized.indexOf(' ', start);
    if (end === -1) end = normalized.length;
    const word = capWord(normalized.slice(start, end));
    const stem = stemWord(word);
    const forms = [word];
    if (stem !== word) forms.push(stem);
    const prefixless = withoutOneLetterPrefix(word, stem);
    if (prefixless !== null && prefixless !== stem) forms.push(prefixless);
    if (tokens.length + forms.length > MAX_INDEX_TOKENS) break;
    tokens.push(...forms);
    start = end + 1;
  }
  return tokens.join(' ');
}

/** One word of a query as the index is searched for it. */
export interface QueryTerm {
  /** The normalised word: matches an indexed token equal to it. */
  surface: string;
  /** Its light stem (equal to `surface` when nothing came off): matches an equal indexed token. */
  stem: string;
  /** Whether an indexed token that starts with `surface` matches too (4 letters or more). */
  prefix: boolean;
}

/**
 * How one word a user typed is looked up: its normalised form, its stem, and whether it may match
 * as a prefix. A word that normalises to several (`U.S.` → `u s`) gives its first; split a query
 * with `searchTokens` to get each. Null when the word normalises to nothing (`؟`, `«»`).
 */
export function queryTerm(word: string): QueryTerm | null {
  const normalized = normalizeForSearch(word);
  if (normalized === '') return null;
  const space = normalized.indexOf(' ');
  const surface = capWord(space === -1 ? normalized : normalized.slice(0, space));
  let letters = 0;
  for (const character of surface) {
    if (/\p{L}/u.test(character)) letters += 1;
    if (letters >= MIN_PREFIX_LETTERS) break;
  }
  return { surface, stem: stemWord(surface), prefix: letters >= MIN_PREFIX_LETTERS };
}
