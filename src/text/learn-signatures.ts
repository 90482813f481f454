/**
 * A source signs its items with the same lines ("جميع الحقوق محفوظة لمدونة …", "Follow us on
 * Telegram"): seen across its recent items, those lines can be kept out of the index and the
 * headline without anyone listing them by hand.
 */

import { normalizeForSearch } from './normalize-for-search.js';

/** A signature is a short line; a paragraph repeated across items is something else. */
export const MAX_SIGNATURE_LENGTH = 120;
/** Fewer items than this say nothing about what a source repeats. */
export const MIN_BODIES = 5;
// Bounds on the work: the most recent bodies, and the head and tail of each, where sites put their
// chrome (a signature in the middle of a long article is not a signature).
const MAX_BODIES = 200;
const LINES_AT_EACH_END = 40;

/** The lines at the head and the tail of `body`, found without splitting all of it. */
function edgeLines(body: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start <= body.length && lines.length < LINES_AT_EACH_END) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    lines.push(body.slice(start, end));
    start = end + 1;
  }
  if (start > body.length) return lines;
  // The rest, read backwards; body[start - 1] is the line break that ended the head.
  const tail: string[] = [];
  let end = body.length;
  while (tail.length < LINES_AT_EACH_END) {
    const newline = body.lastIndexOf('\n', end - 1);
    if (newline < start) {
      tail.push(body.slice(start, end));
      break;
    }
    tail.push(body.slice(newline + 1, end));
    end = newline;
  }
  return lines.concat(tail.reverse());
}

/**
 * The lines a source repeats across its items: a line of at most 120 characters (compared after
 * `normalizeForSearch`, so tatweel and hamza variants count as one) present in at least half of the
 * bodies, when there are at least five. Each signature is returned once, as first written; pass
 * them to `stripBoilerplate` as `signatures`. Looks at the last 200 bodies and at the first and last
 * 40 lines of each, so its work is bounded whatever it is given. Pure.
 */
export function learnSignatures(bodies: readonly string[]): string[] {
  const recent = bodies.slice(-MAX_BODIES).filter((body) => body.trim() !== '');
  if (recent.length < MIN_BODIES) return [];
  const counts = new Map<string, { line: string; bodies: number }>();
  for (const body of recent) {
    const seen = new Set<string>();
    for (const rawLine of edgeLines(body)) {
      const line = rawLine.trim();
      if (line === '' || line.length > MAX_SIGNATURE_LENGTH) continue;
      const key = normalizeForSearch(line);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      const count = counts.get(key);
      if (count === undefined) counts.set(key, { line, bodies: 1 });
      else count.bodies += 1;
    }
  }
  const signatures: string[] = [];
  for (const { line, bodies: seenIn } of counts.values()) {
    if (seenIn * 2 >= recent.length) signatures.push(line);
  }
  return signatures;
}
