/**
 * What a person types into a search, read as plain data. A handful of operators, and nothing else
 * is syntax: whatever does not parse as an operator is taken as words, so no query is ever an error.
 */

/** A query as typed, split into its parts; words are still raw (normalised later). */
export interface ParsedQuery {
  /** Words that must all match. */
  words: string[];
  /** `"…"`: words that must match one after another. */
  phrases: string[];
  /** `-word` or `-"…"`: an article with it is left out. */
  excluded: string[];
  /** `source:<id>` */
  sourceId?: number;
  /** `after:2026-01-01` (from the start of that day, UTC). */
  after?: Date;
  /** `before:2026-02-01` (up to the start of that day, UTC). */
  before?: Date;
}

/** Longer queries are cut here: a pasted article is read as its beginning, not refused. */
export const maxQueryLength = 1000;

// Straight and typographic quotes, and the guillemets Arabic text uses as quotes.
const QUOTES = new Set(['"', '“', '”', '„', '«', '»', '＂']);
const DASHES = new Set(['-', '−', '–']);
const isSpace = (char: string) => /\s/u.test(char);

const FILTER = /^(source|after|before):(.+)$/i;
const DAY = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;

/**
 * `2026`, `2026-02` or `2026-02-01` as the first instant of that year, month or day (UTC); with
 * `next`, the first instant after it (so `before:2026` and `after:2026` both mean what they say).
 * null for anything else, including impossible dates.
 */
export function parseDay(text: string, next = false): Date | null {
  const match = DAY.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = match[2] === undefined ? null : Number(match[2]);
  const day = match[3] === undefined ? null : Number(match[3]);
  if (month !== null && (month < 1 || month > 12)) return null;
  const date = new Date(Date.UTC(year, (month ?? 1) - 1, day ?? 1));
  if (day !== null && date.getUTCDate() !== day) return null;
  if (next) {
    if (month === null) date.setUTCFullYear(year + 1);
    else if (day === null) date.setUTCMonth(month);
    else date.setUTCDate(day + 1);
  }
  return date;
}

/** Reads `source:`, `after:` and `before:`; false when the word is not a valid filter. */
function readFilter(word: string, query: ParsedQuery): boolean {
  const match = FILTER.exec(word);
  if (!match) return false;
  const name = match[1]!.toLowerCase();
  const value = match[2]!;
  if (name === 'source') {
    if (!/^\d{1,15}$/.test(value)) return false;
    query.sourceId = Number(value);
    return true;
  }
  // after:2026-01 means from the first of January; before:2026-01 means before it.
  const date = parseDay(value);
  if (!date) return false;
  if (name === 'after') query.after = date;
  else query.before = date;
  return true;
}

/**
 * Splits a query into words, phrases, exclusions and filters in one pass (linear in its length,
 * which is capped at {@link maxQueryLength}). An unclosed quote is read as if it were not there; a
 * filter with a value it cannot use (`source:abc`) stays words.
 */
export function parseQuery(input: string): ParsedQuery {
  const text = Array.from(input.slice(0, maxQueryLength + 1)).slice(0, maxQueryLength);
  const query: ParsedQuery = { words: [], phrases: [], excluded: [] };
  let i = 0;
  const closingQuote = (from: number) => {
    for (let j = from; j < text.length; j++) if (QUOTES.has(text[j]!)) return j;
    return -1;
  };
  while (i < text.length) {
    const char = text[i]!;
    if (isSpace(char)) {
      i += 1;
      continue;
    }
    const negated = DASHES.has(char) && i + 1 < text.length && !isSpace(text[i + 1]!);
    const start = negated ? i + 1 : i;
    if (QUOTES.has(text[start]!)) {
      const end = closingQuote(start + 1);
      if (end === -1) {
        // An unclosed quote: the rest is plain words.
        i = start + 1;
        continue;
      }
      const phrase = text.slice(start + 1, end).join('').trim();
      if (phrase !== '') (negated ? query.excluded : query.phrases).push(phrase);
      i = end + 1;
      continue;
    }
    let end = start;
    while (end < text.length && !isSpace(text[end]!) && !QUOTES.has(text[end]!)) end += 1;
    const word = text.slice(start, end).join('');
    i = end;
    if (word === '') continue;
    if (negated) query.excluded.push(word);
    else if (!readFilter(word, query)) query.words.push(word);
  }
  return query;
}
