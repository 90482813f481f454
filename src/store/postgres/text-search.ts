import { phraseTokens } from '../phrase-tokens.js';
import type { IndexQuery, IndexTerm } from '../store.js';

/**
 * The store builds its tsvectors and tsqueries itself, from the tokens text/ made: PostgreSQL's
 * parser never sees them (its word rules differ from text/'s and depend on the server's locale).
 * Tokens are split as FTS5's unicode61 tokenizer splits them (letters and digits make a word;
 * anything else, combining marks included, separates) and lowercased, so both backends index the
 * same words. (text/ has already folded diacritics and removed harakat, as unicode61 would.)
 */

/** Highest position a tsvector keeps; later tokens share it (as with to_tsvector). */
const maxPosition = 16_383;

/** Anything that is not part of a word, as unicode61 sees it. Linear: one class, no nesting. */
const separators = /[^\p{L}\p{N}\p{Co}]+/u;

/**
 * Longest word kept, in UTF-16 units (at most 1,500 bytes: PostgreSQL refuses a lexeme over 2 KB).
 * text/ cuts words at 64 characters; this only bounds text that did not come through it. Both the
 * index and the query cut alike, so a long word still finds itself.
 */
const maxLexemeLength = 500;

function capped(word: string): string {
  if (word.length <= maxLexemeLength) return word;
  const code = word.charCodeAt(maxLexemeLength - 1);
  return word.slice(0, code >= 0xd800 && code <= 0xdbff ? maxLexemeLength - 1 : maxLexemeLength);
}

/** The index words of a space-separated token text, in order. */
export function lexemesOf(tokens: string): string[] {
  return tokens
    .toLowerCase()
    .split(separators)
    .filter((word) => word !== '')
    .map(capped);
}

/** One lexeme as tsvector and tsquery input read it: quoted, with quotes and backslashes doubled. */
function quoted(lexeme: string): string {
  return `'${lexeme.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * The tsvector literal of an item: title words at weight A from position 1, body words at weight B
 * after a gap, so a phrase never runs from the title into the body (FTS5 keeps them in two columns).
 */
export function toTsvector(title: string, body: string): string {
  const parts: string[] = [];
  let position = 0;
  for (const word of lexemesOf(title)) parts.push(`${quoted(word)}:${Math.min(maxPosition, ++position)}A`);
  position += 1;
  for (const word of lexemesOf(body)) parts.push(`${quoted(word)}:${Math.min(maxPosition, ++position)}B`);
  return parts.join(' ');
}

/** Words one after another, the last one a prefix when asked; null when there are none. */
function sequence(words: string[], prefix: boolean): string | null {
  if (words.length === 0) return null;
  const parts = words.map((word, index) => (prefix && index === words.length - 1 ? `${quoted(word)}:*` : quoted(word)));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' <-> ')})`;
}

/** A term's alternatives: its surface form (as a prefix when allowed), and its stem when different. */
function termExpression(term: IndexTerm): string | null {
  const surface = sequence(lexemesOf(term.surface), term.prefix);
  if (surface === null) return null;
  const forms = [surface];
  const stemCovered = term.stem === term.surface || (term.prefix && term.stem.startsWith(term.surface));
  const stem = term.stem === '' || stemCovered ? null : sequence(lexemesOf(term.stem), false);
  if (stem !== null) forms.push(stem);
  return forms.length === 1 ? forms[0]! : `(${forms.join(' | ')})`;
}

/** A phrase as the index holds it (see phraseTokens). */
function phraseExpression(words: IndexTerm[]): string | null {
  if (words.length === 1) return termExpression(words[0]!);
  return sequence(phraseTokens(words).flatMap(lexemesOf), false);
}

export interface TsQueries {
  /** What every result must match (exclusions included), or null when nothing positive is asked for. */
  match: string | null;
  /** With no positive words only: what a listing leaves out. */
  excluded: string | null;
  /** A word of the query has no letter or digit: as in FTS5, nothing can match it. */
  matchesNothing: boolean;
}

/**
 * The tsquery text for a query's words: every term and phrase must match, and nothing excluded
 * may. Mirrors toFts5Match, so both backends find the same items.
 */
export function toTsQueries(query: Pick<IndexQuery, 'terms' | 'phrases' | 'excluded'>): TsQueries {
  const positive = [
    ...query.terms.filter((term) => term.surface !== '').map(termExpression),
    ...query.phrases.filter((phrase) => phrase.length > 0).map(phraseExpression),
  ];
  const negative = query.excluded
    .filter((phrase) => phrase.length > 0)
    .map(phraseExpression)
    .filter((part) => part !== null);
  const excluded = negative.length === 0 ? null : negative.join(' | ');
  if (positive.some((part) => part === null)) return { match: null, excluded: null, matchesNothing: true };
  if (positive.length === 0) return { match: null, excluded, matchesNothing: false };
  const match = positive.map((part) => `(${part})`).join(' & ');
  return { match: excluded === null ? match : `(${match}) & !(${excluded})`, excluded: null, matchesNothing: false };
}
