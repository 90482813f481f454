/**
 * Feed text shown to a reader (headlines, source titles, the text of a link) must not carry
 * characters that reorder or hide what follows them: a U+202E in a title would flip the rest of
 * the post, and one in a link's text could show `moc.elpmaxe` for another address.
 */

// Invisible and bidi format characters: zero-width space/joiners and LRM/RLM (U+200B–U+200F), bidi
// embeddings and overrides (U+202A–U+202E), word joiner and invisible operators (U+2060–U+2064),
// isolates and the deprecated format controls (U+2066–U+206F), the Arabic letter mark, BOM, soft
// hyphen, and interlinear annotation marks.
const INVISIBLE = '\\u00AD\\u061C\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\uFEFF\\uFFF9-\\uFFFB';
// C0 and C1 controls and DEL; tab and line feed are layout, not control, in a multi-line text.
const CONTROLS = '\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F';

const UNSAFE_FOR_DISPLAY = new RegExp(`[${INVISIBLE}${CONTROLS}]+`, 'g');
// In a URL every control, invisible character and space is written as its percent escape.
const UNSAFE_IN_URL = new RegExp(`[${INVISIBLE}\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]`, 'g');

/**
 * `text` without bidi, invisible and control characters (the list of issue 12 §2, C0/C1 controls
 * and DEL); tabs and line breaks are kept. Use it on every feed string shown to users before
 * `startsRightToLeft` adds the one mark we want. Linear time.
 */
export function cleanDisplayText(text: string): string {
  return text.replace(UNSAFE_FOR_DISPLAY, '');
}

function percentEncode(character: string): string {
  return encodeURIComponent(character);
}

/** Longest link text shown by default; the link itself is never cut. */
const MAX_URL_DISPLAY_LENGTH = 256;
const ELLIPSIS = '…';

/**
 * The visible text of a link to `url`: the real URL, with percent escapes decoded where that makes
 * it readable (an Arabic slug), but every bidi, invisible or control character and every space
 * percent-encoded, whether it was written raw or as an escape, so nothing in it can reorder or
 * hide the rest. Longer than `maxLength` it is cut, never inside an escape or a surrogate pair, and
 * ends with "…". Escape it for HTML like any text.
 */
export function displayUrl(url: string, maxLength = MAX_URL_DISPLAY_LENGTH): string {
  let readable = url;
  try {
    readable = decodeURI(url);
  } catch {
    // A malformed escape: show the URL as it was written.
  }
  const shown = readable.replace(UNSAFE_IN_URL, percentEncode);
  if (shown.length <= maxLength) return shown;
  let end = Math.max(0, maxLength - 1);
  const code = shown.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  // An escape is three characters, `%XX`: cut before it rather than through it.
  const percent = shown.lastIndexOf('%', end - 1);
  if (percent !== -1 && percent >= end - 2) end = percent;
  return shown.slice(0, end) + ELLIPSIS;
}

/**
 * `text` at most `max` UTF-16 units long, cut between whole characters (never inside a surrogate
 * pair), trailing space dropped and "…" added when cut. Cut before escaping for HTML, so a cut can
 * never fall inside an `&…;`.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}
