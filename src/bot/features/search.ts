import { Composer } from 'grammy';
import { searchArticles } from '../../search/search-articles.js';
import type { Store } from '../../store/store.js';
import { escapeHtml } from '../../text/index.js';
import type { BotContext } from '../context.js';
import { renderItemList } from '../render.js';
import { replyHtml } from '../reply.js';

const maxEchoedQuery = 80;

/** /search words — and, in a private chat, any plain text is taken as a search. */
export function createSearchFeature(deps: { store: Store }): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  const answer = async (ctx: BotContext, query: string) => {
    const outcome = await searchArticles(deps.store, query);
    if (outcome.kind === 'empty') return replyHtml(ctx, ctx.t('search-usage'));
    const echoed = escapeHtml(query.trim().slice(0, maxEchoedQuery));
    ctx.log.info({ query: query.slice(0, 200), results: outcome.items.length }, 'search');
    if (outcome.items.length === 0) return replyHtml(ctx, ctx.t('search-nothing', { query: echoed }));
    return replyHtml(ctx, renderItemList(ctx, ctx.t('search-results', { query: echoed }), outcome.items));
  };

  feature.command('search', (ctx) => answer(ctx, typeof ctx.match === 'string' ? ctx.match : ''));
  feature.chatType('private').on('message:text', async (ctx, next) => {
    if (ctx.message.text.startsWith('/')) return next();
    await answer(ctx, ctx.message.text);
  });
  return feature;
}
