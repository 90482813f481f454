import { Composer } from 'grammy';
import type { Store } from '../../store/store.js';
import type { BotContext } from '../context.js';
import { renderItemList } from '../render.js';
import { replyHtml } from '../reply.js';

/** /latest: the newest articles, linked. */
export function createLatestFeature(deps: { store: Store; count?: number }): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('latest', async (ctx) => {
    const items = await deps.store.latestItems(deps.count ?? 10);
    if (items.length === 0) return replyHtml(ctx, ctx.t('latest-empty'));
    return replyHtml(ctx, renderItemList(ctx, ctx.t('latest-header'), items));
  });
  return feature;
}
