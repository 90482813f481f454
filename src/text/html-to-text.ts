/**
 * Feed titles and bodies arrive as HTML fragments; the bot shows and indexes plain text, and
 * sends it back to Telegram as (escaped) HTML.
 */

import { decodeHTML } from 'entities';

import { collapseBlankLines } from './collapse-blank-lines.js';

// Each pass below finds its openers with indexOf or a regex that cannot backtrack, then its closer
// with indexOf from there, so it reads the text a bounded number of times whatever it holds:
// 112 KB of `<script` took 11 s with the lazy-quantifier regexes these replace.
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';
const COMMENT_OPEN = '<!--';
const COMMENT_CLOSE = '-->';
// Elements whose content is never text to read. An unclosed one swallows the rest, as in a browser.
const INVISIBLE_OPEN = /<(script|style|noscript|template)\b/gi;
const INVISIBLE_CLOSE: Readonly<Record<string, RegExp>> = {
  script: /<\/script\s*>/gi,
  style: /<\/style\s*>/gi,
  noscript: /<\/noscript\s*>/gi,
  template: /<\/template\s*>/gi,
};
const DECLARATION_OPEN = /<[!?]/g;
const TAG_OPEN = /<(\/?)([a-zA-Z][\w:-]*)/g;

/** Elements that stand as paragraphs of their own. */
const PARAGRAPH_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'details', 'dialog', 'div', 'dl',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hgroup', 'hr', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table',
  'tbody', 'tfoot', 'thead', 'ul',
]);
/** Elements that start a new line but not a new paragraph (list items, table rows). */
const LINE_ELEMENTS = new Set(['dd', 'dt', 'li', 'tr']);
/** Table cells sit side by side on their row. */
const CELL_ELEMENTS = new Set(['td', 'th']);

// When the fragment is structured with block tags, its source line breaks are mere formatting
// (a browser would show spaces); a plain-text description keeps its own line breaks.
const HAS_BLOCK_TAG =
  /<\/?(?:p|br|div|li|tr|h[1-6]|blockquote|ul|ol|table|section|article|figure|figcaption|pre)\b/i;

const HORIZONTAL_SPACE = /[ \t\f\v\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
const LINE_BREAK = /\r\n?|[\u2028\u2029]/g;

function replaceTag(closing: string, rawName: string): string {
  const name = rawName.toLowerCase();
  if (name === 'br') return '\n';
  if (PARAGRAPH_ELEMENTS.has(name)) return '\n\n';
  if (LINE_ELEMENTS.has(name)) return closing === '' ? '\n' : '';
  if (CELL_ELEMENTS.has(name)) return ' ';
  return '';
}

/**
 * Replace every section from `open` to the first `close` after it (or to the end, when it is never
 * closed) by its content or by nothing.
 */
function replaceSections(html: string, open: string, close: string, keepContent: boolean): string {
  let start = html.indexOf(open);
  if (start === -1) return html;
  const parts: string[] = [];
  let copiedUpTo = 0;
  while (start !== -1) {
    const contentStart = start + open.length;
    const end = html.indexOf(close, contentStart);
    parts.push(html.slice(copiedUpTo, start));
    if (keepContent) parts.push(html.slice(contentStart, end === -1 ? html.length : end));
    if (end === -1) return parts.join('');
    copiedUpTo = end + close.length;
    start = html.indexOf(open, copiedUpTo);
  }
  parts.push(html.slice(copiedUpTo));
  return parts.join('');
}

/** Scripts, styles, noscript and templates with their content; an unclosed one takes the rest. */
function removeInvisibleElements(html: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  INVISIBLE_OPEN.lastIndex = 0;
  for (let open = INVISIBLE_OPEN.exec(html); open !== null; open = INVISIBLE_OPEN.exec(html)) {
    const tagEnd = html.indexOf('>', INVISIBLE_OPEN.lastIndex);
    // No `>` anywhere after this opener: no later opener can be completed either.
    if (tagEnd === -1) break;
    const closer = INVISIBLE_CLOSE[open[1]!.toLowerCase()]!;
    closer.lastIndex = tagEnd + 1;
    const close = closer.exec(html);
    parts.push(html.slice(copiedUpTo, open.index));
    if (close === null) return parts.join('');
    copiedUpTo = close.index + close[0].length;
    INVISIBLE_OPEN.lastIndex = copiedUpTo;
  }
  if (parts.length === 0) return html;
  parts.push(html.slice(copiedUpTo));
  return parts.join('');
}

/** Doctype, processing instructions and other `<!…>`/`<?…>` declarations, each to its first `>`. */
function removeDeclarations(html: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  DECLARATION_OPEN.lastIndex = 0;
  for (let open = DECLARATION_OPEN.exec(html); open !== null; open = DECLARATION_OPEN.exec(html)) {
    const end = html.indexOf('>', open.index + 2);
    if (end === -1) break;
    parts.push(html.slice(copiedUpTo, open.index));
    copiedUpTo = end + 1;
    DECLARATION_OPEN.lastIndex = copiedUpTo;
  }
  if (parts.length === 0) return html;
  parts.push(html.slice(copiedUpTo));
  return parts.join('');
}

// Where a tag scan has already been, per position: outside quotes, or entering a quoted value.
const SEEN_OUTSIDE = 1;
const SEEN_DOUBLE_QUOTED = 2;
const SEEN_SINGLE_QUOTED = 4;

/**
 * The `>` that ends the tag whose attributes start at `from`, or -1. Quoted attribute values may
 * hold `<` and `>`. The walk is deterministic, so two walks that reach the same position in the
 * same state end alike; `seen` records every state visited, and a walk that meets one fails at
 * once. That is sound because a walk that succeeded is never met again (scanning resumes after its
 * `>`), so what is met belongs to a walk that ran off the end; and it keeps `<a "'` repeated linear.
 */
function findTagEnd(html: string, from: number, seen: Uint8Array): number {
  let index = from;
  while (index < html.length) {
    if ((seen[index]! & SEEN_OUTSIDE) !== 0) return -1;
    seen[index]! |= SEEN_OUTSIDE;
    const character = html.charAt(index);
    if (character === '>') return index;
    if (character === '"' || character === "'") {
      const valueStart = index + 1;
      const state = character === '"' ? SEEN_DOUBLE_QUOTED : SEEN_SINGLE_QUOTED;
      if ((seen[valueStart]! & state) !== 0) return -1;
      seen[valueStart]! |= state;
      const valueEnd = html.indexOf(character, valueStart);
      if (valueEnd === -1) return -1;
      index = valueEnd + 1;
    } else {
      index += 1;
    }
  }
  return -1;
}

/** Every tag replaced by the line break, blank line, space or nothing it stands for. */
function replaceTags(html: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  let seen: Uint8Array | undefined;
  TAG_OPEN.lastIndex = 0;
  for (let open = TAG_OPEN.exec(html); open !== null; open = TAG_OPEN.exec(html)) {
    seen ??= new Uint8Array(html.length + 1);
    const end = findTagEnd(html, TAG_OPEN.lastIndex, seen);
    if (end === -1) {
      // Not a tag after all: the next one may start inside it.
      TAG_OPEN.lastIndex = open.index + 1;
      continue;
    }
    parts.push(html.slice(copiedUpTo, open.index), replaceTag(open[1]!, open[2]!));
    copiedUpTo = end + 1;
    TAG_OPEN.lastIndex = copiedUpTo;
  }
  if (parts.length === 0) return html;
  parts.push(html.slice(copiedUpTo));
  return parts.join('');
}

/**
 * Turn an HTML fragment into plain text: scripts, styles and comments dropped, block elements
 * turned into line breaks, other tags removed, entities decoded exactly once (`&amp;amp;` becomes
 * `&amp;`), spaces collapsed, lines trimmed, never more than one blank line in a row. Linear time
 * on any input.
 */
export function htmlToText(html: string): string {
  let text = replaceSections(html, CDATA_OPEN, CDATA_CLOSE, true);
  text = removeInvisibleElements(replaceSections(text, COMMENT_OPEN, COMMENT_CLOSE, false));
  if (HAS_BLOCK_TAG.test(text)) text = text.replace(/\s+/g, ' ');
  // Entities are decoded after tags are gone, so an escaped `&lt;b&gt;` survives as text.
  text = decodeHTML(replaceTags(removeDeclarations(text)));
  const lines = text
    .replace(LINE_BREAK, '\n')
    .split('\n')
    .map((line) => line.replace(HORIZONTAL_SPACE, ' ').trim());
  return collapseBlankLines(lines).join('\n');
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/**
 * Escape text for a Telegram message sent with `parse_mode: 'HTML'`. Every feed-derived string
 * passes through here before it is put in a message. Only the four entities Telegram knows are
 * produced (`entities`' own escapers also emit `&apos;`/`&nbsp;`, which Telegram rejects).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => HTML_ESCAPES[character] ?? character);
}
