const arabicLetter = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/u;
// The first character with a strong direction decides how Telegram lays out a paragraph.
const firstStrong = /[\p{Script=Arabic}\p{Script=Hebrew}\p{L}]/u;
const RLM = '\u200F';
const startsWithArabicLetter = /^(?=\p{Script=Arabic})\p{L}/u;

/** Whether `text` is laid out right to left by Telegram: its first strong character is Arabic. */
function readsRightToLeft(text: string): boolean {
  const first = firstStrong.exec(text);
  return first !== null && arabicLetter.test(first[0]);
}

/** Options of {@link startsRightToLeft}. */
export interface StartsRightToLeftOptions {
  /**
   * The headline (or other text) the line is shown under. When it reads right to left, the line
   * follows it even with no Arabic of its own: a source name, a date, a Latin quote or a URL.
   */
  under?: string;
}

/**
 * Makes an Arabic line read right to left even when it starts with a number, a Latin word, a URL or
 * a quote (Telegram picks the direction from the first strong character): a RIGHT-TO-LEFT MARK goes
 * in front. With `under` an Arabic headline, a line without Arabic gets the mark too, so the lines
 * of a post or a result keep one direction. Lines that already start with an Arabic letter (or the
 * mark), and lines with no Arabic under no Arabic headline, are unchanged. Clean feed text with
 * `cleanDisplayText` first (an embedding or override left in front would outrank the mark). Never
 * use it inside an `href` or on a command.
 */
export function startsRightToLeft(line: string, options: StartsRightToLeftOptions = {}): string {
  const arabicContext = options.under !== undefined && readsRightToLeft(options.under);
  if (!arabicContext && !arabicLetter.test(line)) return line;
  // A line that starts with a number or a quote before its first Arabic word already reads right
  // to left by the first-strong rule, but not in every client: only an Arabic letter or our mark in
  // front is certain.
  if (line.startsWith(RLM) || startsWithArabicLetter.test(line)) return line;
  return RLM + line;
}
