/**
 * Reading one character at a time without splitting a surrogate pair: the word rules decide from
 * a few neighbouring characters with plain code, where a regex lookbehind would rescan.
 */

/** The code point that ends just before `index` (a surrogate pair counts as one), or ''. */
export function codePointBefore(text: string, index: number): string {
  if (index <= 0) return '';
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(index - 2, index);
  }
  return text.charAt(index - 1);
}

/** The code point that starts at `index`, or ''. */
export function codePointAt(text: string, index: number): string {
  const code = text.codePointAt(index);
  return code === undefined ? '' : String.fromCodePoint(code);
}
