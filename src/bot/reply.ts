import type { BotContext } from './context.js';

/** Answers in HTML parse mode without link previews (lists of links would otherwise show a card). */
export function replyHtml(ctx: BotContext, text: string) {
  return ctx.reply(text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
}
