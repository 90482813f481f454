/**
 * The one normalisation shared by the search index and the search query. If the two sides ever
 * normalised differently, a word could be indexed in a form no query can reach.
 */

import { codePointAt, codePointBefore } from './code-points.js';
import { restoreBrokenWords } from './restore-broken-words.js';

// Every format character (Cf): zero-width spaces and joiners, LRM/RLM, bidi embeddings and
// isolates, the Arabic letter mark, BOM, soft hyphen. None of them changes what a word is.
const FORMAT_CHARACTERS = /\p{Cf}/gu;

const TATWEEL = /\u0640/g;

/**
 * String#normalize puts each run of combining marks in canonical order by insertion, which is
 * quadratic in the run's length: a megabyte of two alternating marks took minutes. No script
 * stacks more than a few marks on a letter, so, as in Unicode's Stream-Safe Text Format (UAX #15),
 * a run keeps its first 30 and loses the rest. U+FF9E and U+FF9F are letters that NFKC turns into
 * combining marks.
 */
const LONG_MARK_RUN = /[\p{M}\uFF9E\uFF9F]{31,}/gu;

function capMarkRuns(text: string): string {
  // A run is matched from its first mark (the scan reaches it first), and a shorter run fails within
  // 31 characters, so this stays linear; Array.from keeps an astral mark's surrogate pair whole.
  return text.replace(LONG_MARK_RUN, (run) => Array.from(run).slice(0, 30).join(''));
}

// Harakat, superscript alef, and the Quranic annotation marks that ride on letters the same way.
const HARAKAT = /[\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E4\u06E7\u06E8\u06EA-\u06ED]/g;

// Spellings that writers use interchangeably, folded to the one a query would most likely type.
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  'أ': 'ا',
  'إ': 'ا',
  'آ': 'ا',
  'ٱ': 'ا',
  'ى': 'ي',
  'ة': 'ه',
};
const FOLDED_LETTERS = /[أإآٱىة]/g;

// Persian yeh and keheh are the Arabic yeh and kaf as Persian keyboards type them, so they are
// folded inside a word of Arabic letters only: standing alone they are a symbol or a label, and no
// generic confusables table decides for other scripts.
const PERSIAN_LETTERS = /[یک]/g;
const PERSIAN_FOLDS: Readonly<Record<string, string>> = { 'ی': 'ي', 'ک': 'ك' };
// Tested against one code point.
const ARABIC_LETTER = /^(?=\p{Script=Arabic})\p{L}$/u;

function foldPersianLetter(letter: string, offset: number, text: string): string {
  const inWord =
    ARABIC_LETTER.test(codePointBefore(text, offset)) || ARABIC_LETTER.test(codePointAt(text, offset + 1));
  return inWord ? (PERSIAN_FOLDS[letter] ?? letter) : letter;
}

const ARABIC_INDIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

// Only precomposed Latin letters with diacritics, or loose combining marks, need the slow path.
const MAY_HAVE_LATIN_DIACRITICS = /[\u00C0-\u024F\u1E00-\u1EFF\u0300-\u036F]/;
// Marks are stripped after Latin letters only: NFD also splits ؤ and ئ (and Cyrillic й), and
// those must come back whole when the string is recomposed.
const LATIN_DIACRITICS = /(\p{Script=Latin})[\u0300-\u036F]+/gu;

// Punctuation, symbols, controls and every kind of space become one plain space.
const SEPARATORS = /[\p{P}\p{S}\p{Cc}\p{Z}\s]+/gu;

/** Text no rule but lowercasing and space collapsing changes (see normalizeForSearch's first line). */
const PLAIN_ASCII = /^[A-Za-z0-9 ]*$/;
const SPACE_RUN = / +/g;

function foldArabicDigit(digit: string): string {
  const code = digit.charCodeAt(0);
  return String(code - (code >= 0x06f0 ? 0x06f0 : 0x0660));
}

function foldLatinDiacritics(text: string): string {
  if (!MAY_HAVE_LATIN_DIACRITICS.test(text)) return text;
  return text.normalize('NFD').replace(LATIN_DIACRITICS, '$1').normalize('NFC');
}

/**
 * Reduce text to the form stored in and looked up from the search index: compatibility forms
 * unified (NFKC), invisible and bidi controls removed, broken words restored, tatweel and harakat
 * removed, alef/yeh/teh marbuta variants folded (Persian yeh and keheh inside Arabic words), lowercased, Latin diacritics removed,
 * Arabic-Indic digits made ASCII, and punctuation turned into single spaces. A run of more than
 * 30 combining marks keeps its first 30. Linear time on any input.
 *
 * Idempotent: `normalizeForSearch(normalizeForSearch(x)) === normalizeForSearch(x)`.
 */
export function normalizeForSearch(text: string): string {
  // Plain ASCII letters, digits and spaces (a short line, an English word): no rule below but the
  // lowercasing and the spaces can change them, and skipping a dozen passes makes a page of many
  // short lines several times cheaper to clean.
  if (PLAIN_ASCII.test(text)) return text.toLowerCase().replace(SPACE_RUN, ' ').trim();
  let result = capMarkRuns(text).normalize('NFKC').replace(FORMAT_CHARACTERS, '');
  result = restoreBrokenWords(result)
    .replace(TATWEEL, '')
    .replace(HARAKAT, '')
    .replace(FOLDED_LETTERS, (letter) => LETTER_FOLDS[letter] ?? letter)
    .replace(PERSIAN_LETTERS, foldPersianLetter)
    .toLowerCase();
  // Removing joiners and tatweel can join runs of marks again; capped once more, the result also
  // comes back unchanged from a second pass.
  return foldLatinDiacritics(capMarkRuns(result))
    .replace(ARABIC_INDIC_DIGITS, foldArabicDigit)
    .replace(SEPARATORS, ' ')
    .trim();
}

/** The words of `text` as the search index sees them: {@link normalizeForSearch} split on spaces. */
export function searchTokens(text: string): string[] {
  const normalized = normalizeForSearch(text);
  return normalized === '' ? [] : normalized.split(' ');
}
