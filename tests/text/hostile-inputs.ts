/**
 * The worst text a feed or page can send to the word rules: inputs built so that a regex with a
 * lazy quantifier, an overlapping alternation or an unanchored search per match goes quadratic.
 * Shared by tests/text/linear-time.test.ts and bench/text-bench.ts.
 */

/** The text rules a family is built against (each family is fed to every rule in the tests). */
export type TextRule =
  | 'restoreBrokenWords'
  | 'normalizeForSearch'
  | 'htmlToText'
  | 'makeHeadline'
  | 'stripBoilerplate'
  | 'stemWord'
  | 'indexTokens'
  | 'displayUrl'
  | 'learnSignatures';

/** One family of hostile input: a name that reads in a sentence, and a builder for a length. */
export interface HostileInput {
  name: string;
  /** The rule this input was built to slow down; the benchmark times the family through it. */
  attacks: TextRule;
  /** A string of about `length` UTF-16 code units. */
  build: (length: number) => string;
}

/** `prefix`, then `unit` repeated to about `length` code units in all, then `suffix`. */
function repeated(unit: string, length: number, prefix = '', suffix = ''): string {
  const times = Math.max(1, Math.floor((length - prefix.length - suffix.length) / unit.length));
  return prefix + unit.repeat(times) + suffix;
}

const TATWEEL = '\u0640';

/** The families of one rule, as entries of {@link HOSTILE_INPUTS}. */
function against(attacks: TextRule, families: Array<[string, (length: number) => string]>): HostileInput[] {
  return families.map(([name, build]) => ({ name, attacks, build }));
}

export const HOSTILE_INPUTS: readonly HostileInput[] = [
  ...against('restoreBrokenWords', [
    // Runs of filler that never reach a letter, or reach one far away.
    ['a letter and a tatweel run', (n) => repeated(TATWEEL, n, 'ب')],
    ['a tatweel run between two letters', (n) => repeated(TATWEEL, n, 'ب', 'ب')],
    ['tatweel and dots alternating after a letter', (n) => repeated(`${TATWEEL}.`, n, 'ب')],
    ['tatweel and dots alternating between letters', (n) => repeated(`ب${TATWEEL}.${TATWEEL}`, n)],
    ['prefixes before quotes that never close', (n) => repeated(`ل${TATWEEL}"ب`, n)],
    ['prefixes before guillemets on one long line', (n) => repeated(`ب${TATWEEL}«ب`, n, '', '»')],
    ['Hijri year markers', (n) => repeated(`1445ه${TATWEEL}ب`, n)],
    ['harakat between tatweels', (n) => repeated(`\u064E${TATWEEL}`, n, 'ب')],
  ]),
  ...against('normalizeForSearch', [
    // Canonical reordering of a long run of combining marks is quadratic inside String#normalize.
    ['combining marks of two classes', (n) => repeated('\u0301\u0316', n, 'a')],
    ['harakat of two classes', (n) => repeated('\u064E\u064B', n, 'ب')],
    ['half-width voiced marks among accents', (n) => repeated('\u0301\uFF9E', n, 'a')],
    // Short runs that become one long run once the joiners or tatweels between them are removed.
    ['mark runs split by zero-width joiners', (n) => repeated('\u0301\u0316'.repeat(15) + '\u200D', n, 'b')],
    ['mark runs split by tatweels', (n) => repeated('\u0301\u0316'.repeat(15) + TATWEEL, n, 'b')],
    ['bidi and zero-width characters', (n) => repeated('\u200F\u200B', n, '', 'ب')],
    ['emoji', (n) => repeated('😀', n)],
  ]),
  ...against('htmlToText', [
    // Openers whose closer never comes.
    ['"<" runs', (n) => repeated('<', n)],
    ['"<script" repeated', (n) => repeated('<script', n)],
    ['"<script>" repeated', (n) => repeated('<script>', n)],
    ['script closers that never end', (n) => repeated('</script        ', n, '<script>')],
    ['unclosed comments', (n) => repeated('<!--', n)],
    ['unclosed CDATA sections', (n) => repeated('<![CDATA[', n)],
    ['"<!" runs', (n) => repeated('<!', n)],
    ['"<?" runs', (n) => repeated('<?', n)],
    ['deep nesting', (n) => repeated('<div>', n / 2) + 'نص' + repeated('</div>', n / 2)],
    ['unclosed tags', (n) => repeated('<a', n)],
    ['a tag name that never ends', (n) => repeated('a', n, '<')],
    ['attribute quotes never closed', (n) => repeated('<a x="', n)],
    ['quotes of both kinds in unclosed tags', (n) => repeated(`<a "'`, n)],
    ['attribute values chained through "<"', (n) => repeated(`<a x="=' `, n)],
    // Entities.
    ['ampersands', (n) => repeated('&', n)],
    ['a numeric entity with no end', (n) => repeated('0', n, '&#')],
    ['entities without semicolons', (n) => repeated('&amp', n)],
  ]),
  ...against('makeHeadline', [
    // Sentence ends that are not, and abbreviations.
    ['dot runs', (n) => repeated('.', n, '', 'x')],
    ['dots and closing quotes', (n) => repeated('."', n, '', 'x')],
    ['"a. " repeated', (n) => repeated('a. ', n)],
    ['"د. " repeated', (n) => repeated('د. ', n)],
    ['one dotted abbreviation', (n) => repeated('a.', n, '', 'a. ')],
    ['a long line with no space', (n) => repeated('ب', n)],
    ['spaces before one letter', (n) => repeated(' ', n, '', 'x')],
    ['separators before one letter', (n) => repeated('، ', n, '', 'x')],
  ]),
  ...against('stripBoilerplate', [
    // It works line by line, as collapseBlankLines does.
    ['blank lines', (n) => repeated('\n', n)],
    ['lines of one letter', (n) => repeated('a\n', n)],
    ['carriage returns', (n) => repeated('\r', n)],
    ['"read also" lines', (n) => repeated('اقرأ أيضاً\n', n)],
    ['labels with colons', (n) => repeated('Related: خبر\n', n)],
  ]),
  ...against('stemWord', [
    // One endless word: prefixes and suffixes that the stemmer could peel off forever, and a Latin
    // word that would reach the Porter stemmer's lazy regexes.
    ['a word of repeated articles', (n) => repeated('وال', n, '', 'مخيم')],
    ['a word of repeated suffixes', (n) => repeated('ات', n, 'مخيم')],
    ['a word of repeated one-letter prefixes', (n) => repeated('و', n, '', 'زاره')],
    ['a Latin word of repeated endings', (n) => repeated('ational', n, 'rel')],
    ['a Latin word of one vowel', (n) => repeated('e', n, '', 's')],
  ]),
  ...against('indexTokens', [
    // Many short words, each with a stem and another reading: the most tokens per character.
    ['short prefixed words', (n) => repeated('بغزة ', n)],
    ['inflected words', (n) => repeated('بالمخيمات ', n)],
    ['one-letter words', (n) => repeated('ب ', n)],
  ]),
  ...against('displayUrl', [
    ['bidi overrides in a URL', (n) => repeated('\u202E', n, 'https://example.com/')],
    ['percent escapes of overrides', (n) => repeated('%E2%80%AE', n, 'https://example.com/')],
    ['malformed percent escapes', (n) => repeated('%E2%', n, 'https://example.com/')],
  ]),
  ...against('learnSignatures', [
    ['short lines', (n) => repeated('توقيع\n', n)],
    ['distinct short lines', (n) => Array.from({ length: Math.max(1, Math.floor(n / 8)) }, (_, i) => `س ${i}`).join('\n')],
    ['one long line', (n) => repeated('ب', n)],
  ]),
];
