/**
 * Feed titles and bodies arrive as HTML fragments; the bot shows and indexes plain text, and
 * sends it back to Telegram as (escaped) HTML.
 */

import { decodeHTML } from 'entities';

import { collapseBlankLines } from './collapse-blank-lines.js';

const CDATA = /<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)/g;
const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
// Elements whose content is never text to read. An unclosed one swallows the rest, as in a browser.
const INVISIBLE_ELEMENT = /<(script|style|noscript|template)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const DECLARATION = /<[!?][^>]*>/g;
// Quoted attribute values may contain `>`; each alternative starts differently, so no backtracking blow-up.
const TAG = /<(\/?)([a-zA-Z][\w:-]*)(?:"[^"]*"|'[^']*'|[^'">])*>/g;

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

function replaceTag(_tag: string, closing: string, rawName: string): string {
  const name = rawName.toLowerCase();
  if (name === 'br') return '\n';
  if (PARAGRAPH_ELEMENTS.has(name)) return '\n\n';
  if (LINE_ELEMENTS.has(name)) return closing === '' ? '\n' : '';
  if (CELL_ELEMENTS.has(name)) return ' ';
  return '';
}

/**
 * Turn an HTML fragment into plain text: scripts, styles and comments dropped, block elements
 * turned into line breaks, other tags removed, entities decoded exactly once (`&amp;amp;` becomes
 * `&amp;`), spaces collapsed, lines trimmed, never more than one blank line in a row.
 */
export function htmlToText(html: string): string {
  let text = html.replace(CDATA, '$1').replace(COMMENT, '').replace(INVISIBLE_ELEMENT, '');
  if (HAS_BLOCK_TAG.test(text)) text = text.replace(/\s+/g, ' ');
  // Entities are decoded after tags are gone, so an escaped `&lt;b&gt;` survives as text.
  text = decodeHTML(text.replace(DECLARATION, '').replace(TAG, replaceTag));
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
