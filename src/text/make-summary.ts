/**
 * The short text a post may carry under its headline: the article's lead sentences, taken as
 * written (extractive), so a summary never says what the article does not.
 */

import { cleanDisplayText } from './display-text.js';
import { sentencesOf } from './make-headline.js';
import { searchTokens } from './normalize-for-search.js';
import { restoreBrokenWords } from './restore-broken-words.js';

export interface MakeSummaryOptions {
  /** The longest summary, "…" included (UTF-16 units). Default 280. */
  maxChars?: number;
}

const DEFAULT_MAX_CHARS = 280;
const MAX_SENTENCES = 2;
const ELLIPSIS = '…';

/**
 * Only the start of the body is read: the lead sentences sit there, and a repeated headline before
 * them is at most a title's length (1,000 characters). Every rule below sees at most this much, so
 * a megabyte of body costs what 4,096 characters do.
 */
const MAX_INPUT_CHARS = 4_096;

/**
 * A first sentence repeats the headline when at least this share of the longer one's words are in
 * the other: a headline and a lead differ by a word or a punctuation mark more often than not.
 */
const SAME_WORDS_SHARE = 0.8;

function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The first `max` UTF-16 units of `text`, one fewer when the cut would split a surrogate pair. */
function headOf(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * Whether `sentence` says the headline again: the same words after search normalisation (so
 * hamza, taa marbuta, harakat, case and punctuation do not matter), most of them in common, or,
 * when the headline was itself cut with "…", the sentence going on from where the headline stops.
 */
function repeatsHeadline(sentence: string, headline: string): boolean {
  const wasCut = headline.trimEnd().endsWith(ELLIPSIS);
  const headlineWords = searchTokens(wasCut ? headline.trimEnd().slice(0, -ELLIPSIS.length) : headline);
  const sentenceWords = searchTokens(sentence);
  if (headlineWords.length === 0 || sentenceWords.length === 0) return false;
  if (wasCut && headlineWords.length <= sentenceWords.length) {
    // The headline's last word may have been cut inside; the words before it must match exactly.
    const whole = headlineWords.length - 1;
    const lastWord = headlineWords[whole]!;
    if (headlineWords.slice(0, whole).every((word, index) => sentenceWords[index] === word) && sentenceWords[whole]!.startsWith(lastWord)) {
      return true;
    }
  }
  const inSentence = new Set(sentenceWords);
  const shared = headlineWords.filter((word) => inSentence.has(word)).length;
  return shared >= SAME_WORDS_SHARE * Math.max(headlineWords.length, sentenceWords.length);
}

/**
 * `text` cut to at most `maxChars` units at the last space that fits, "…" added; a single word
 * longer than that is cut inside, never between a surrogate pair or before a combining mark.
 */
function cutAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = Math.max(1, maxChars - ELLIPSIS.length);
  let end = text.lastIndexOf(' ', room);
  if (end <= 0) {
    end = room;
    while (end > 0 && /^[\p{M}\uDC00-\uDFFF]/u.test(text.slice(end, end + 2))) end -= 1;
  }
  return text.slice(0, end).replace(/[\s،,;؛:\-–—]+$/u, '') + ELLIPSIS;
}

/** The sentences of `text`, paragraph by paragraph, lazily, spaces collapsed, those without words left out. */
function* sentencesOfText(text: string): Generator<string> {
  for (const line of text.split('\n')) {
    if (!hasWords(line)) continue;
    for (const sentence of sentencesOf(collapseSpaces(line))) {
      if (hasWords(sentence)) yield sentence;
    }
  }
}

/**
 * Make a post's summary from its article: the first one or two sentences of `bodyText` (the kept,
 * boilerplate-free text), split exactly as headlines are (text/'s one Arabic-aware sentence split),
 * with broken words restored and no bidi, invisible or control character. A first sentence that
 * repeats `headline` is skipped. The second sentence is added only when both fit in `maxChars`
 * (default 280); a first sentence longer than that is cut at a word boundary with "…". Only the first
 * 4,096 characters of the body are read, so the time is bounded whatever its length. Returns null
 * when the body has no sentence to offer beyond the headline.
 */
export function makeSummary(bodyText: string, headline: string, options: MakeSummaryOptions = {}): string | null {
  const maxChars = Math.max(2, Math.floor(options.maxChars ?? DEFAULT_MAX_CHARS));
  const text = cleanDisplayText(restoreBrokenWords(headOf(bodyText, MAX_INPUT_CHARS)));
  const chosen: string[] = [];
  let first = true;
  for (const sentence of sentencesOfText(text)) {
    if (first) {
      first = false;
      if (repeatsHeadline(sentence, headline)) continue;
    }
    if (chosen.length === 0) {
      chosen.push(sentence);
      if (sentence.length >= maxChars) break;
      continue;
    }
    if (chosen[0]!.length + 1 + sentence.length <= maxChars) chosen.push(sentence);
    break;
  }
  if (chosen.length === 0) return null;
  return cutAtWord(chosen.slice(0, MAX_SENTENCES).join(' '), maxChars);
}
