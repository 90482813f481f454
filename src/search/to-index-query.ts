import type { IndexQuery, IndexTerm } from '../store/store.js';
import { indexTokens, queryTerm, searchTokens } from '../text/index.js';
import type { ParsedQuery } from './parse-query.js';

/** At most this many words are looked for (terms, phrase words and exclusions each). */
export const maxQueryWords = 12;
const maxWordLength = 64;

/** The index terms of some raw text: its normalised words, each with its stem and prefix rule. */
function termsOf(raw: string): IndexTerm[] {
  const terms: IndexTerm[] = [];
  for (const token of searchTokens(raw)) {
    if (token.length > maxWordLength) continue;
    const term = queryTerm(token);
    if (term) terms.push(term);
  }
  return terms;
}

/** A phrase word with the tokens the index holds for it, so the phrase can be matched exactly. */
function withIndexForms(term: IndexTerm): IndexTerm {
  const forms = indexTokens(term.surface);
  return forms === '' ? term : { ...term, indexForms: forms.split(' ') };
}

/**
 * Turns a parsed query into the backend-neutral index query: each word through the same rules as
 * the index (text/'s queryTerm), so `خسائر` also finds `بخسائرها`. A quoted single word is just a
 * word; a stray one-letter word (a lone `و`) is dropped when longer words are there.
 */
export function toIndexQuery(parsed: ParsedQuery): IndexQuery {
  const phrases: IndexTerm[][] = [];
  const terms: IndexTerm[] = [];
  for (const phrase of parsed.phrases) {
    const words = termsOf(phrase).slice(0, maxQueryWords).map(withIndexForms);
    if (words.length === 1) terms.push(words[0]!);
    else if (words.length > 1) phrases.push(words);
  }
  for (const word of parsed.words) terms.push(...termsOf(word));
  const seen = new Set<string>();
  let unique = terms.filter((term) => !seen.has(term.surface) && seen.add(term.surface));
  if (unique.some((term) => [...term.surface].length > 1) || phrases.length > 0) {
    unique = unique.filter((term) => [...term.surface].length > 1);
  }
  const excluded = parsed.excluded
    .map((raw) => termsOf(raw).slice(0, maxQueryWords).map(withIndexForms))
    .filter((words) => words.length > 0)
    .slice(0, maxQueryWords);
  const query: IndexQuery = {
    terms: unique.slice(0, Math.max(0, maxQueryWords - phrases.length)),
    phrases: phrases.slice(0, maxQueryWords),
    excluded,
  };
  if (parsed.sourceId !== undefined) query.sourceId = parsed.sourceId;
  if (parsed.after !== undefined) query.after = parsed.after;
  if (parsed.before !== undefined) query.before = parsed.before;
  return query;
}
