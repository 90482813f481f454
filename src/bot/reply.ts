import type { BotContext } from './context.js';

/** Telegram's limit on one message's text, in UTF-16 code units after entity parsing; we keep a margin. */
const maxMessageLength = 4000;

/**
 * An answer is a few messages at most: a list that would need more (a megabyte of feed title once
 * made /sources send 322 messages to whoever asked) is cut, and says so.
 */
const maxReplyParts = 4;

/** Options of {@link splitMessage}. */
export interface SplitMessageOptions {
  /** Longest part, in UTF-16 code units of HTML. */
  limit?: number;
  /** Most parts; the text beyond them is dropped. */
  maxParts?: number;
  /** HTML line that ends the last part when text was dropped. */
  truncatedNote?: string;
}

/** One piece of a line that is never cut: a tag, an entity, one character (a surrogate pair whole). */
interface Token {
  text: string;
  /** For a tag: its element name, lowercase; '' otherwise. */
  element: string;
  closes: boolean;
}

// Matched at one position only (sticky). The name cannot give characters back to the attributes
// (lookahead), and attributes stop at the next `<`, so a failed match reads to there and no further.
const TAG = /<(\/?)([a-zA-Z][\w-]*)(?![\w-])[^<>]*>/y;
const ENTITY = /&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{0,31});/y;

function tokenAt(line: string, index: number): Token {
  const character = line.charAt(index);
  if (character === '<') {
    TAG.lastIndex = index;
    const tag = TAG.exec(line);
    if (tag) return { text: tag[0], element: tag[2]!.toLowerCase(), closes: tag[1] === '/' };
  } else if (character === '&') {
    ENTITY.lastIndex = index;
    const entity = ENTITY.exec(line);
    if (entity) return { text: entity[0], element: '', closes: false };
  } else {
    const code = line.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < line.length) {
      const next = line.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) return { text: line.slice(index, index + 2), element: '', closes: false };
    }
  }
  return { text: character, element: '', closes: false };
}

/** An element open at a cut: closed at the end of one part and opened again at the start of the next. */
interface OpenElement {
  element: string;
  openTag: string;
  /** Length of the closing tags of this element and of every one open around it. */
  closingLength: number;
}

function closingLength(open: readonly OpenElement[]): number {
  return open.length === 0 ? 0 : open[open.length - 1]!.closingLength;
}

function closingTags(open: readonly OpenElement[]): string {
  let tags = '';
  for (let index = open.length - 1; index >= 0; index--) tags += `</${open[index]!.element}>`;
  return tags;
}

function afterToken(open: readonly OpenElement[], token: Token): readonly OpenElement[] {
  if (token.element === '') return open;
  if (!token.closes) {
    const closing = closingLength(open) + token.element.length + 3;
    return [...open, { element: token.element, openTag: token.text, closingLength: closing }];
  }
  for (let at = open.length - 1; at >= 0; at--) {
    if (open[at]!.element === token.element) return open.slice(0, at);
  }
  return open;
}

/**
 * Cut one line longer than a part into pieces, each at most `room()` long, at the last space that
 * leaves the piece more than half full, else at the last token that fits: never inside a tag, an
 * entity or a surrogate pair. An element open at a cut is closed there and opened again in the next
 * piece, so each piece is valid HTML on its own. `emit` takes every piece but the last, and says
 * whether it wants more; the last piece is returned, or null when `emit` wanted no more.
 */
function cutLine(line: string, room: () => number, emit: (piece: string) => boolean): string | null {
  let index = 0;
  let open: readonly OpenElement[] = [];
  for (;;) {
    const limit = room();
    let piece = open.map((element) => element.openTag).join('');
    let pieceOpen = open;
    let lastSpace: { index: number; piece: string; open: readonly OpenElement[] } | null = null;
    let taken = 0;
    while (index < line.length) {
      const token = tokenAt(line, index);
      const nextOpen = afterToken(pieceOpen, token);
      const fits = piece.length + token.text.length + closingLength(nextOpen) <= limit;
      // Every piece takes at least one token, even one longer than a part (a tag with a huge link).
      if (!fits && taken > 0) break;
      taken += 1;
      piece += token.text;
      pieceOpen = nextOpen;
      index += token.text.length;
      if (token.text === ' ' && piece.length > limit / 2) lastSpace = { index, piece, open: pieceOpen };
    }
    if (index >= line.length) return piece;
    if (lastSpace !== null) ({ index, piece, open: pieceOpen } = lastSpace);
    if (!emit(piece.trimEnd() + closingTags(pieceOpen))) return null;
    open = pieceOpen;
    while (line.charAt(index) === ' ') index += 1;
  }
}

function withoutTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charAt(end - 1) === '\n') end -= 1;
  return text.slice(0, end);
}

/** The text in parts of at most `limitOf(part number)` each, stopping after `maxParts` parts. */
function splitIntoParts(text: string, limitOf: (part: number) => number, maxParts: number): string[] {
  const parts: string[] = [];
  const add = (part: string): boolean => {
    if (part.trim() !== '' && parts.length < maxParts) parts.push(part);
    return parts.length < maxParts;
  };
  let current = '';
  for (const line of text.split('\n')) {
    if (current.length + line.length + 1 > limitOf(parts.length)) {
      if (!add(withoutTrailingNewlines(current))) return parts;
      current = '';
    }
    if (line.length <= limitOf(parts.length)) {
      current += `${line}\n`;
      continue;
    }
    const rest = cutLine(line, () => limitOf(parts.length), add);
    if (rest === null) return parts;
    current = `${rest}\n`;
  }
  add(withoutTrailingNewlines(current));
  return parts;
}

/**
 * Splits a long HTML answer at line breaks into parts Telegram accepts, at most `maxParts` of them
 * (4 by default); when the text needs more, the rest is dropped and the last part ends with
 * `truncatedNote`. Every tag we write opens and closes on one line, so a split between lines never
 * breaks a tag; a single over-long line is cut at a space as a last resort, never inside a tag or an
 * entity, with the elements open at the cut closed and opened again.
 */
export function splitMessage(text: string, options: SplitMessageOptions = {}): string[] {
  const limit = options.limit ?? maxMessageLength;
  const maxParts = options.maxParts ?? maxReplyParts;
  if (text.length <= limit) return [text];
  const whole = splitIntoParts(text, () => limit, maxParts + 1);
  if (whole.length <= maxParts) return whole;
  const note = options.truncatedNote ?? '…';
  // The last part leaves room for the note on a line of its own.
  const lastLimit = limit - note.length - 1;
  const kept = splitIntoParts(text, (part) => (part === maxParts - 1 ? lastLimit : limit), maxParts);
  kept[kept.length - 1] += `\n${note}`;
  return kept;
}

/**
 * Answers in HTML parse mode without link previews (lists of links would otherwise show a card), in
 * at most four messages: a longer answer is cut and says so.
 */
export async function replyHtml(ctx: BotContext, text: string): Promise<void> {
  for (const part of splitMessage(text, { truncatedNote: ctx.t('reply-truncated') })) {
    await ctx.reply(part, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  }
}
