/**
 * The worst text a feed or page can send to the word rules: inputs built so that a regex with a
 * lazy quantifier, an overlapping alternation or an unanchored search per match goes quadratic.
 * Shared by tests/text/linear-time.test.ts and bench/text-bench.ts.
 */

/** One family of hostile input: a name that reads in a sentence, and a builder for a length. */
export interface HostileInput {
  name: string;
  /** A string of about `length` UTF-16 code units. */
  build: (length: number) => string;
}

/** `prefix`, then `unit` repeated to about `length` code units in all, then `suffix`. */
function repeated(unit: string, length: number, prefix = '', suffix = ''): string {
  const times = Math.max(1, Math.floor((length - prefix.length - suffix.length) / unit.length));
  return prefix + unit.repeat(times) + suffix;
}

const TATWEEL = '\u0640';

export const HOSTILE_INPUTS: readonly HostileInput[] = [
  // restoreBrokenWords: runs of filler that never reach a letter, or reach one far away.
  { name: 'a letter and a tatweel run', build: (n) => repeated(TATWEEL, n, 'ب') },
  { name: 'a tatweel run between two letters', build: (n) => repeated(TATWEEL, n, 'ب', 'ب') },
  { name: 'tatweel and dots alternating after a letter', build: (n) => repeated(`${TATWEEL}.`, n, 'ب') },
  { name: 'tatweel and dots alternating between letters', build: (n) => repeated(`ب${TATWEEL}.${TATWEEL}`, n) },
  { name: 'prefixes before quotes that never close', build: (n) => repeated(`ل${TATWEEL}"ب`, n) },
  { name: 'prefixes before guillemets on one long line', build: (n) => repeated(`ب${TATWEEL}«ب`, n, '', '»') },
  { name: 'Hijri year markers', build: (n) => repeated(`1445ه${TATWEEL}ب`, n) },
  { name: 'harakat between tatweels', build: (n) => repeated(`\u064E${TATWEEL}`, n, 'ب') },
  // Canonical reordering of a long run of combining marks is quadratic inside String#normalize.
  { name: 'combining marks of two classes', build: (n) => repeated('\u0301\u0316', n, 'a') },
  { name: 'harakat of two classes', build: (n) => repeated('\u064E\u064B', n, 'ب') },
  { name: 'half-width voiced marks among accents', build: (n) => repeated('\u0301\uFF9E', n, 'a') },
  // Short runs that become one long run once the joiners or tatweels between them are removed.
  { name: 'mark runs split by zero-width joiners', build: (n) => repeated('\u0301\u0316'.repeat(15) + '\u200D', n, 'b') },
  { name: 'mark runs split by tatweels', build: (n) => repeated('\u0301\u0316'.repeat(15) + TATWEEL, n, 'b') },
  // htmlToText: openers whose closer never comes.
  { name: '"<" runs', build: (n) => repeated('<', n) },
  { name: '"<script" repeated', build: (n) => repeated('<script', n) },
  { name: '"<script>" repeated', build: (n) => repeated('<script>', n) },
  { name: 'script closers that never end', build: (n) => repeated('</script        ', n, '<script>') },
  { name: 'unclosed comments', build: (n) => repeated('<!--', n) },
  { name: 'unclosed CDATA sections', build: (n) => repeated('<![CDATA[', n) },
  { name: '"<!" runs', build: (n) => repeated('<!', n) },
  { name: '"<?" runs', build: (n) => repeated('<?', n) },
  { name: 'deep nesting', build: (n) => repeated('<div>', n / 2) + 'نص' + repeated('</div>', n / 2) },
  { name: 'unclosed tags', build: (n) => repeated('<a', n) },
  { name: 'a tag name that never ends', build: (n) => repeated('a', n, '<') },
  { name: 'attribute quotes never closed', build: (n) => repeated('<a x="', n) },
  { name: 'quotes of both kinds in unclosed tags', build: (n) => repeated(`<a "'`, n) },
  { name: 'attribute values chained through "<"', build: (n) => repeated(`<a x="=' `, n) },
  // makeHeadline: sentence ends that are not, and abbreviations.
  { name: 'dot runs', build: (n) => repeated('.', n, '', 'x') },
  { name: 'dots and closing quotes', build: (n) => repeated('."', n, '', 'x') },
  { name: '"a. " repeated', build: (n) => repeated('a. ', n) },
  { name: '"د. " repeated', build: (n) => repeated('د. ', n) },
  { name: 'one dotted abbreviation', build: (n) => repeated('a.', n, '', 'a. ') },
  { name: 'a long line with no space', build: (n) => repeated('ب', n) },
  { name: 'spaces before one letter', build: (n) => repeated(' ', n, '', 'x') },
  { name: 'separators before one letter', build: (n) => repeated('، ', n, '', 'x') },
  // Entities.
  { name: 'ampersands', build: (n) => repeated('&', n) },
  { name: 'a numeric entity with no end', build: (n) => repeated('0', n, '&#') },
  { name: 'entities without semicolons', build: (n) => repeated('&amp', n) },
  // Lines: stripBoilerplate and collapseBlankLines work line by line.
  { name: 'blank lines', build: (n) => repeated('\n', n) },
  { name: 'lines of one letter', build: (n) => repeated('a\n', n) },
  { name: 'carriage returns', build: (n) => repeated('\r', n) },
  { name: '"read also" lines', build: (n) => repeated('اقرأ أيضاً\n', n) },
  { name: 'labels with colons', build: (n) => repeated('Related: خبر\n', n) },
  { name: 'bidi and zero-width characters', build: (n) => repeated('\u200F\u200B', n, '', 'ب') },
  { name: 'emoji', build: (n) => repeated('😀', n) },
];
