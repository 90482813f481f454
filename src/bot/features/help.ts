import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { replyHtml } from '../reply.js';

/** /start and /help: what nashra does and its commands, in the user's language. */
export function createHelpFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command(['start', 'help'], (ctx) => replyHtml(ctx, ctx.t('help', { bot: ctx.me.username })));
  return feature;
}
