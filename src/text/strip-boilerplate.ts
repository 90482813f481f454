/**
 * Site chrome that scrapers and feeds carry into the article text: "skip to content" links,
 * "read also" pointers to other articles, and a source's own signature line.
 */

import { collapseBlankLines } from './collapse-blank-lines.js';
import { normalizeForSearch } from './normalize-for-search.js';

/** Lines that are only an accessibility link to the page's main content. */
const SKIP_LINKS = new Set(
  [
    'تخطى إلى المحتوى',
    'تخطى إلى المحتوى الرئيسي',
    'انتقل إلى المحتوى',
    'الانتقال إلى المحتوى',
    'Skip to content',
    'Skip to main content',
    'Jump to content',
  ].map(normalizeForSearch),
);

/**
 * Arabic "read also" markers: a line starting with one of these is a pointer to another article
 * however it continues, because no sentence of a news story opens that way.
 */
const READ_ALSO_PREFIXES = ['إقرأ أيضاً', 'اقرأ المزيد', 'شاهد أيضاً', 'Read also'].map(
  normalizeForSearch,
);

/**
 * English markers that can also open a real sentence ("Related to the attack, …"): they only count
 * when the line is the marker alone or the marker followed by a colon.
 */
const READ_ALSO_LABELS = new Set(
  ['Read more', 'Related', 'Related articles', 'Related posts', 'Related stories', 'See also'].map(
    normalizeForSearch,
  ),
);

/** Options of {@link stripBoilerplate}. */
export interface StripBoilerplateOptions {
  /** Lines this source signs its articles with; a line equal to one after normalisation is dropped. */
  signatures?: readonly string[];
}

function startsWithWords(normalized: string, prefix: string): boolean {
  return (
    normalized.startsWith(prefix) &&
    (normalized.length === prefix.length || normalized.charAt(prefix.length) === ' ')
  );
}

/**
 * Boilerplate lines are short, or start with a marker: a longer line is only normalised up to
 * `HEAD_LENGTH` characters, enough to see a marker, since normalising every paragraph whole was
 * half the cost of turning a feed entry into an item (bench: ingest.toNewItems).
 */
const SHORT_LINE = 200;
/** Longest line taken as an item of a "read also" list (another article's headline). */
const LIST_LINE = 160;
const HEAD_LENGTH = 80;

function isReadAlso(line: string, normalized: string, whole: boolean): boolean {
  if (READ_ALSO_PREFIXES.some((prefix) => startsWithWords(normalized, prefix))) return true;
  if (whole && READ_ALSO_LABELS.has(normalized)) return true;
  const colon = line.search(/[:：]/);
  return colon !== -1 && colon < HEAD_LENGTH && READ_ALSO_LABELS.has(normalizeForSearch(line.slice(0, colon)));
}

/** The marker alone on its line ("اقرأ أيضاً:"): the heading of a list of other articles. */
function isReadAlsoHeading(normalized: string): boolean {
  return READ_ALSO_PREFIXES.includes(normalized) || READ_ALSO_LABELS.has(normalized);
}

/**
 * Remove boilerplate lines from plain text: skip links, "read also"/"related" lines (the whole
 * line, including the other article's headline), and the given signature lines. Lines are matched
 * after {@link normalizeForSearch}, so hamza, tanween and tatweel variants are caught.
 *
 * A marker standing alone on its line ("اقرأ أيضاً:") heads a list: the lines right under it, up
 * to the next blank line, go with it. Every other line is kept unchanged; blank lines left behind
 * are collapsed to one.
 */
export function stripBoilerplate(text: string, options: StripBoilerplateOptions = {}): string {
  const signatures = new Set((options.signatures ?? []).map(normalizeForSearch));
  signatures.delete('');
  const kept: string[] = [];
  // 'heading': a marker stood alone on its line, its list starts on the next line; 'heading-colon': it
  // ended with a colon, which announces a list even after a blank line (HTML puts one between
  // `<p>اقرأ أيضاً:</p>` and its `<ul>`); 'list': dropping the list's lines.
  let readAlso: 'none' | 'heading' | 'heading-colon' | 'list' = 'none';
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (readAlso !== 'heading-colon') readAlso = 'none';
      kept.push(line);
      continue;
    }
    // A list under a heading holds other articles' headlines: short lines. A long one is the story again.
    if (readAlso !== 'none' && line.length <= LIST_LINE) {
      readAlso = 'list';
      continue;
    }
    readAlso = 'none';
    const whole = line.length <= SHORT_LINE;
    const normalized = normalizeForSearch(whole ? line : line.slice(0, HEAD_LENGTH));
    if (whole && (SKIP_LINKS.has(normalized) || signatures.has(normalized))) continue;
    if (isReadAlso(line, normalized, whole)) {
      readAlso = !isReadAlsoHeading(normalized) ? 'none' : /[:：]\s*$/.test(line) ? 'heading-colon' : 'heading';
      continue;
    }
    kept.push(line);
  }
  return collapseBlankLines(kept).join('\n');
}
