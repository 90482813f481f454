/**
 * Undo the tatweel trick publishers use to slip words past social-media filters:
 * `خـ.ـسائر` is `خسائر`, `الثــ؟ورية` is `الثورية`, `تعــ.رضـ.ت` is `تعرضت`.
 */

const TATWEEL = '\u0640';

// Tatweel's own script is Common, so "a letter of the Arabic script" never matches it.
const ARABIC_LETTER = String.raw`(?=\p{Script=Arabic})\p{L}`;

// What obfuscators put between the fragments: tatweel, any punctuation or symbol, and the
// invisible joiners that render as nothing.
const FILLER = String.raw`[\u0640\p{P}\p{S}\u00AD\u200B-\u200D\u2060]`;

const DIGIT = String.raw`[0-9\u0660-\u0669\u06F0-\u06F9]`;

/**
 * A run of filler holding at least one tatweel, with an Arabic letter (and its harakat) right
 * before it and an Arabic letter right after it. Filler contains neither letters nor marks, so a
 * match is always a whole run. The negative lookbehind spares the Hijri year marker (`1445هـ`,
 * `1445 هـ.ش`), whose tatweel is part of the abbreviation. The leading lookahead only makes it
 * fast: the lookbehinds are then tried at filler characters alone, not at every letter.
 */
const BROKEN_JOINT = new RegExp(
  String.raw`(?=${FILLER})(?<=${ARABIC_LETTER}\p{M}*)(?<!${DIGIT} ?\u0647\p{M}*)${FILLER}*?\u0640${FILLER}*(?=${ARABIC_LETTER})`,
  'gu',
);

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

function opensQuotation(run: string, runEnd: number, text: string): boolean {
  const closers = CLOSERS_OF[run.charAt(run.length - 1)];
  if (closers === undefined) return false;
  const lineEnd = text.indexOf('\n', runEnd);
  const rest = text.slice(runEnd, lineEnd === -1 ? text.length : lineEnd);
  for (const closer of closers) {
    if (rest.includes(closer)) return true;
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
 * and a prefix written before a quotation (`لـ"داعش"`).
 */
export function restoreBrokenWords(text: string): string {
  if (!text.includes(TATWEEL)) return text;
  return text.replace(BROKEN_JOINT, (run: string, offset: number) =>
    opensQuotation(run, offset + run.length, text) ? run : '',
  );
}
