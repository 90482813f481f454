/**
 * The one line a post leads with: the item's title when it has one, else the first sentence of
 * its text, cleaned and kept to a length that reads as a headline.
 */

import { codePointBefore } from './code-points.js';
import { cleanDisplayText } from './display-text.js';
import { htmlToText } from './html-to-text.js';
import { restoreBrokenWords } from './restore-broken-words.js';
import { stripBoilerplate } from './strip-boilerplate.js';

const ELLIPSIS = '…';

// A sentence ends at a terminator (with any closing quote or bracket after it) followed by
// whitespace or the end of the line; `1.2` and `site.com` therefore never end one. The lookbehind
// starts a match only at the first terminator of a run, so a run that is not followed by a space
// is tried once, not once per dot (a megabyte of dots was quadratic).
const SENTENCE_END = /(?<![.?!؟…۔])[.?!؟…۔]+["'”’»)\]]*(?=\s|$)/gu;

// Tested against one code point each.
const LETTER = /^\p{L}$/u;
const DIGIT = /^[0-9\u0660-\u0669\u06F0-\u06F9]$/;
const SPACE = /^\s$/u;
// A conjunction may lead a dotted abbreviation (وأ.د.), but not a single letter, since two-letter
// words like "له." do end sentences.
const CONJUNCTIONS = new Set(['و', 'ف']);

// Cutting here would orphan a low surrogate or a combining mark (a haraka) from its letter.
const STARTS_INSIDE_CHARACTER = /^[\p{M}\uDC00-\uDFFF]/u;

// Separators that look broken when left dangling before the ellipsis.
const TRAILING_SEPARATORS = /[\s،,;؛:\-–—]+$/u;

// Where a clause ends: a comma, semicolon, colon or dash followed by a space (so `1,000` and
// `10:30` are not clause ends). Found with a single pass over at most `maxLength` characters.
const CLAUSE_END = /[،؛,;:–—](?=\s)/g;
// A clause cut is used when it keeps at least this share of the room; otherwise the last word
// boundary reads better than a stub.
const MIN_CLAUSE_SHARE = 0.5;

function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isLetter(character: string): boolean {
  return character !== '' && LETTER.test(character);
}

/** Whether a word starts at `index`: at the start of the line or after whitespace. */
function startsWord(line: string, index: number): boolean {
  return index === 0 || SPACE.test(line.charAt(index - 1));
}

/**
 * Whether the period at `stop` closes an abbreviation, not a sentence: it follows a single letter
 * or letters joined by dots, standing as a word of their own (د. م. أ.د. U.S. e.g. وأ.د.).
 * It reads back only over that word, never the whole line before it; the word ends at the
 * whitespace after the previous stop, so the walks of all stops of a line add up to its length.
 */
function closesAbbreviation(line: string, stop: number): boolean {
  const last = codePointBefore(line, stop);
  if (!isLetter(last)) return false;
  let start = stop - last.length;
  let dotted = false;
  while (line.charAt(start - 1) === '.') {
    const letter = codePointBefore(line, start - 1);
    if (!isLetter(letter)) break;
    start -= 1 + letter.length;
    dotted = true;
  }
  if (startsWord(line, start)) return true;
  return dotted && CONJUNCTIONS.has(line.charAt(start - 1)) && startsWord(line, start - 1);
}

/** Whether the period at `stop` follows a number (`1. `, `الساعة 10. 30`): a list mark, not an end. */
function followsNumber(line: string, stop: number): boolean {
  return DIGIT.test(line.charAt(stop - 1));
}

/**
 * The sentences of one line, in order and lazily, each with its terminator (and any closing quote
 * or bracket) and without the spaces between them; the rest of the line after the last terminator
 * is the last sentence. A sentence ends at `. ؟ ! … ۔` followed by a space or the end of the line,
 * but not at a period after a number or one closing an abbreviation such as `د.` or `U.S.`. The
 * one sentence split of text/: headlines and summaries both cut here. Linear in the line's length.
 */
export function* sentencesOf(line: string): Generator<string> {
  let start = 0;
  for (const match of line.matchAll(SENTENCE_END)) {
    if (match[0] === '.' && (followsNumber(line, match.index) || closesAbbreviation(line, match.index))) {
      continue;
    }
    const end = match.index + match[0].length;
    const sentence = line.slice(start, end).trim();
    if (sentence !== '') yield sentence;
    start = end;
  }
  const rest = line.slice(start).trim();
  if (rest !== '') yield rest;
}

function firstSentence(line: string): string {
  for (const sentence of sentencesOf(line)) return sentence;
  return line;
}

/** The end of the last clause that fits in `room` characters and fills half of it, or -1. */
function lastClauseEnd(text: string, room: number): number {
  const head = text.slice(0, room);
  let last = -1;
  CLAUSE_END.lastIndex = 0;
  for (let match = CLAUSE_END.exec(head); match !== null; match = CLAUSE_END.exec(head)) last = match.index;
  return last >= room * MIN_CLAUSE_SHARE ? last : -1;
}

/**
 * Shorten `text` to at most `maxLength` characters, "…" included: at the end of the last clause
 * (، ؛ , ; : –) that fills at least half of the room, else at the last space that fits. Only a
 * single word longer than the limit is cut inside, and never between a surrogate pair or before a
 * combining mark.
 */
function cutAtBoundary(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const room = Math.max(1, maxLength - ELLIPSIS.length);
  let end = lastClauseEnd(text, room + 1);
  if (end <= 0) end = text.lastIndexOf(' ', room);
  if (end <= 0) {
    end = room;
    while (end > 0 && STARTS_INSIDE_CHARACTER.test(text.slice(end, end + 2))) end -= 1;
  }
  return text.slice(0, end).replace(TRAILING_SEPARATORS, '') + ELLIPSIS;
}

/**
 * Make the headline of a post: the title with markup removed, entities decoded and broken words
 * restored, on one line; or, without a usable title, the first sentence of the plain `text` after
 * boilerplate is stripped (a sentence ends at `. ؟ ! …`, not after a number or an abbreviation
 * such as `د.`). Either is cut to `maxLength` characters at a clause or word boundary with "…",
 * and carries no bidi, invisible or control character from the feed. Returns null when neither
 * gives any words.
 */
export function makeHeadline(
  input: { title: string | null; text: string | null },
  maxLength = 120,
): string | null {
  if (input.title !== null) {
    const title = collapseSpaces(cleanDisplayText(restoreBrokenWords(htmlToText(input.title))));
    if (hasWords(title)) return cutAtBoundary(title, maxLength);
  }
  if (input.text === null) return null;
  const body = cleanDisplayText(restoreBrokenWords(stripBoilerplate(input.text)));
  const firstLine = body.split('\n').find((line) => hasWords(line));
  if (firstLine === undefined) return null;
  return cutAtBoundary(collapseSpaces(firstSentence(firstLine.trim())), maxLength);
}
