import type { IndexTerm } from '../store/store.js';
import { cleanDisplayText, normalizeForSearch, queryTerm } from '../text/index.js';

/** About how long a snippet is, in characters. */
export const snippetLength = 160;
/** How much text comes before the first match, so it is read in context. */
const leadLength = 50;
/**
 * Where the first match is looked for: a match further in is rare (the title usually matched) and
 * normalising every word of a 16 KB text for each result would cost more than the search itself.
 */
const scanLength = 6000;

// A word as a reader sees it: letters, marks, digits, and the invisible characters inside words.
const WORD = /[\p{L}\p{M}\p{N}\p{Cf}]+/gu;

/** Whether a word of the text is one the query looked for (as the index would have matched it). */
function matches(word: string, terms: readonly IndexTerm[]): boolean {
  const normalized = normalizeForSearch(word);
  if (normalized === '') return false;
  for (const token of normalized.split(' ')) {
    let stem: string | undefined;
    for (const term of terms) {
      if (token === term.surface || token === term.stem) return true;
      if (term.prefix && token.startsWith(term.surface)) return true;
      stem ??= queryTerm(token)?.stem ?? token;
      if (stem === term.stem || stem === term.surface) return true;
    }
  }
  return false;
}

function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The last whitespace in text[from, to), or -1. */
function lastSpace(text: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (/\s/.test(text[i]!)) return i;
  return -1;
}

/** The first whitespace in text[from, to), or -1. */
function firstSpace(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (/\s/.test(text[i]!)) return i;
  return -1;
}

/**
 * A short plain-text snippet of an article's text around the first word that matched the query
 * (from its start when none did), cut at word boundaries with "…", and the words of it that
 * matched, as they appear in it (to bold them). Never made from index tokens: a reader sees the
 * article's own words. Linear in the text's length.
 */
export function makeSnippet(text: string | null, terms: readonly IndexTerm[]): { snippet: string; snippetMatches: string[] } {
  if (!text) return { snippet: '', snippetMatches: [] };
  let matchAt = 0;
  if (terms.length > 0) {
    const scan = text.slice(0, scanLength);
    for (const found of scan.matchAll(WORD)) {
      if (matches(found[0], terms)) {
        matchAt = found.index;
        break;
      }
    }
  }
  let start = Math.max(0, matchAt - leadLength);
  if (start > 0) {
    const space = firstSpace(text, start, matchAt);
    start = space === -1 ? matchAt : space + 1;
  }
  let end = Math.min(text.length, start + snippetLength);
  if (end < text.length) {
    const space = lastSpace(text, Math.max(matchAt + 1, start + 1), end);
    if (space !== -1) end = space;
    else if (isLowSurrogate(text, end)) end -= 1;
  }
  const body = cleanDisplayText(text.slice(start, end).replace(/\s+/g, ' ')).trim();
  if (body === '') return { snippet: '', snippetMatches: [] };
  const snippet = `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
  const snippetMatches: string[] = [];
  if (terms.length > 0) {
    for (const found of body.matchAll(WORD)) {
      if (!snippetMatches.includes(found[0]) && matches(found[0], terms)) snippetMatches.push(found[0]);
    }
  }
  return { snippet, snippetMatches };
}
