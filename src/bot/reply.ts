import type { BotContext } from './context.js';

/** Telegram's limit on one message's text, in UTF-16 code units after entity parsing; we keep a margin. */
const maxMessageLength = 4000;

/**
 * Splits a long HTML answer at line breaks into parts Telegram accepts. Every tag we write opens and
 * closes on one line, so a split between lines never breaks a tag; a single over-long line is cut
 * at a space, as a last resort.
 */
export function splitMessage(text: string, limit = maxMessageLength): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim() !== '') parts.push(current.replace(/\n+$/, ''));
    current = '';
  };
  for (const line of text.split('\n')) {
    if (current.length + line.length + 1 > limit) flush();
    if (line.length <= limit) {
      current += `${line}\n`;
      continue;
    }
    let rest = line;
    while (rest.length > limit) {
      const cut = rest.lastIndexOf(' ', limit);
      const at = cut > limit / 2 ? cut : limit;
      parts.push(rest.slice(0, at));
      rest = rest.slice(at).trimStart();
    }
    current = `${rest}\n`;
  }
  flush();
  return parts;
}

/** Answers in HTML parse mode without link previews (lists of links would otherwise show a card). */
export async function replyHtml(ctx: BotContext, text: string): Promise<void> {
  for (const part of splitMessage(text)) {
    await ctx.reply(part, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  }
}
