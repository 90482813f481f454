const arabicLetter = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/u;
// The first character with a strong direction decides how Telegram lays out a paragraph.
const firstStrong = /[\p{Script=Arabic}\p{Script=Hebrew}\p{L}]/u;
const RLM = '\u200F';

/**
 * Makes an Arabic line read right to left even when it starts with a number, a Latin word or a
 * quote (Telegram picks the direction from the first strong character): a RIGHT-TO-LEFT MARK goes
 * in front. Lines without Arabic, and lines that already start with an Arabic letter, are unchanged.
 * Never use it on URLs or commands.
 */
export function startsRightToLeft(line: string): string {
  if (!arabicLetter.test(line)) return line;
  const first = firstStrong.exec(line);
  if (first && arabicLetter.test(first[0])) return line;
  return RLM + line;
}
