/**
 * Undo the tatweel trick publishers use to slip words past social-media filters:
 * `خـ.ـسائر` is `خسائر`, `الثــ؟ورية` is `الثورية`, `تعــ.رضـ.ت` is `تعرضت`.
 *
 * Feed text is untrusted, so this runs in time linear in the input: a simple regex finds each run of
 * filler once, and plain code decides about it from its neighbouring characters. (A single regex
 * with a lazy quantifier and lookbehinds did the same job in quadratic time: 48,000 tatweels after a
 * letter took 15 s.)
 */

import { codePointAt, codePointBefore } from './code-points.js';

const TATWEEL = '\u0640';

/**
 * What obfuscators put between the fragments: tatweel, any punctuation or symbol, and the invisible
 * joiners that render as nothing. It holds neither letters nor marks, so each match is a whole run.
 */
const FILLER_RUN = /[\u0640\p{P}\p{S}\u00AD\u200B-\u200D\u2060]+/gu;

// Each is tested against one code point. Tatweel's own script is Common, so it is no Arabic letter.
const ARABIC_LETTER = /^(?=\p{Script=Arabic})\p{L}$/u;
const MARK = /^\p{M}$/u;
const DIGIT = /^[0-9\u0660-\u0669\u06F0-\u06F9]$/;
const HEH = '\u0647';

/**
 * Where the Arabic letter that carries the run starting at `runStart` begins (its harakat may sit
 * between it and the run), or -1 when no Arabic letter is there. Walking back over the marks is
 * linear overall: a run of marks sits before at most one run of filler.
 */
function letterBefore(text: string, runStart: number): number {
  let index = runStart;
  let previous = codePointBefore(text, index);
  while (previous !== '' && MARK.test(previous)) {
    index -= previous.length;
    previous = codePointBefore(text, index);
  }
  return previous !== '' && ARABIC_LETTER.test(previous) ? index - previous.length : -1;
}

/** The Hijri year marker (`1445هـ`, `1445 هـ.ش`): its tatweel belongs to the abbreviation. */
function isYearMarker(text: string, letterStart: number): boolean {
  if (text.charAt(letterStart) !== HEH) return false;
  const before = letterStart > 0 && text.charAt(letterStart - 1) === ' ' ? letterStart - 1 : letterStart;
  return before > 0 && DIGIT.test(text.charAt(before - 1));
}

/**
 * Closing marks that pair with an opening mark. Arabic prefixes are written with tatweel before a
 * quotation (`لـ"داعش"`, `بـ«الثورة»`); when the run ends with such a mark and its partner follows
 * on the same line, the run is that prefix, not a broken word.
 */
const CLOSERS_OF: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '`': '`',
  '“': '”“',
  '”': '”“',
  '‘': '’‘',
  '’': '’‘',
  '«': '»«',
  '»': '»«',
  '‹': '›‹',
  '›': '›‹',
  '(': ')',
  '[': ']',
  '{': '}',
};

/**
 * `indexOf` for queries whose start only moves forward, as runs are visited left to right: each
 * character's next position is remembered, so the text is scanned at most once per character
 * looked for, however many runs ask (a line of `بـ"ب` repeated asks once per run).
 */
function forwardIndexOf(text: string): (character: string, from: number) => number {
  const next = new Map<string, number>();
  return (character, from) => {
    const known = next.get(character);
    if (known !== undefined && (known === -1 || known >= from)) return known;
    const found = text.indexOf(character, from);
    next.set(character, found);
    return found;
  };
}

function opensQuotation(
  text: string,
  runEnd: number,
  indexOf: (character: string, from: number) => number,
): boolean {
  const closers = CLOSERS_OF[text.charAt(runEnd - 1)];
  if (closers === undefined) return false;
  const lineEnd = indexOf('\n', runEnd);
  for (const closer of closers) {
    const at = indexOf(closer, runEnd);
    if (at !== -1 && (lineEnd === -1 || at < lineEnd)) return true;
  }
  return false;
}

/**
 * Join Arabic words that were split with tatweel and separators, and drop pure elongation
 * between letters (`جميـــل` → `جميل`).
 *
 * Only a run of tatweel/punctuation that contains a tatweel and sits between two Arabic letters,
 * with no whitespace, is removed. Everything else is returned byte for byte: numbers (`1.2`),
 * URLs, Latin text, sentence ends (`وجـ.ـريح.` → `وجريح.`), year markers (`1445هـ.`, `2023م.`),
 * and a prefix written before a quotation (`لـ"داعش"`). Linear time on any input.
 */
export function restoreBrokenWords(text: string): string {
  if (!text.includes(TATWEEL)) return text;
  const indexOf = forwardIndexOf(text);
  const kept: string[] = [];
  let copiedUpTo = 0;
  for (const match of text.matchAll(FILLER_RUN)) {
    const run = match[0];
    const runStart = match.index;
    const runEnd = runStart + run.length;
    if (!run.includes(TATWEEL)) continue;
    const next = codePointAt(text, runEnd);
    if (next === '' || !ARABIC_LETTER.test(next)) continue;
    const letterStart = letterBefore(text, runStart);
    if (letterStart === -1 || isYearMarker(text, letterStart)) continue;
    if (opensQuotation(text, runEnd, indexOf)) continue;
    kept.push(text.slice(copiedUpTo, runStart));
    copiedUpTo = runEnd;
  }
  if (copiedUpTo === 0) return text;
  kept.push(text.slice(copiedUpTo));
  return kept.join('');
}
