import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { replyHtml } from '../reply.js';

/** Last in line: a command nobody handled, in a private chat, gets a pointer to /help. */
export function createUnknownCommandFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType('private').on('message:entities:bot_command', (ctx) => replyHtml(ctx, ctx.t('unknown-command')));
  return feature;
}
