import { Composer } from 'grammy';
import type { InlineQueryResultArticle } from 'grammy/types';
import { formatPost } from '../../delivery/format-post.js';
import { searchArticles } from '../../search/search-articles.js';
import type { Store } from '../../store/store.js';
import type { BotContext } from '../context.js';
import { cutText } from '../../text/index.js';
import { displayText, formatDay, resultLimits, type RenderableResult } from '../render.js';
import type { SearchRateLimiter } from '../search-rate-limit.js';
import { rateKey } from './search.js';

/** Results per answer to an inline query (Telegram takes up to 50; ten fill a phone's list). */
export const inlinePageSize = 10;
/** Pages an inline list scrolls through: as for /search, a deeper page is not worth its cost. */
const maxInlinePages = 10;
/** Seconds Telegram may reuse an answer: short, so new articles show up soon. */
const inlineCacheSeconds = 10;
const maxTitle = 120;
const maxDescription = 200;

/** The offset Telegram echoes back for the next page: our page number, or page 0 when it is not one. */
export function parseInlineOffset(offset: string): number {
  return /^\d{1,2}$/.test(offset) ? Number(offset) : 0;
}

/** One article as an inline result: its headline, "source · date · snippet", and the post it shares. */
export function inlineResult(item: RenderableResult): InlineQueryResultArticle {
  const title = cutText(displayText(item.headline), maxTitle) || '…';
  const details = [
    cutText(displayText(item.sourceTitle ?? ''), resultLimits.source),
    formatDay(item.publishedAt ?? item.firstSeenAt),
    displayText(item.snippet ?? ''),
  ].filter((part) => part !== '');
  const link = item.link && item.link.length <= resultLimits.link ? item.link : null;
  return {
    type: 'article',
    id: String(item.id),
    title,
    description: cutText(details.join(' · '), maxDescription),
    input_message_content: {
      message_text: formatPost({ headline: cutText(displayText(item.headline), resultLimits.headline), link }),
      parse_mode: 'HTML',
    },
  };
}

/**
 * Inline mode: `@bot words` in any chat lists matching articles to share, page by page as the
 * reader scrolls (next_offset); `@bot` alone lists the newest. Answers are the same for everyone
 * (is_personal false), so Telegram may share its short cache between users.
 */
export function createInlineSearchFeature(deps: { store: Store; limiter: SearchRateLimiter }): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on('inline_query', async (ctx) => {
    const key = rateKey(ctx);
    const decision = key === null ? 'allow' : deps.limiter.take(key);
    if (decision !== 'allow') {
      ctx.log.info({ decision }, 'inline search rate limited');
      // Telegram shows the button above the (empty) list; the rest of a burst is not answered.
      if (decision === 'warn') {
        await ctx.answerInlineQuery([], {
          cache_time: 0,
          is_personal: true,
          button: { text: ctx.t('search-rate-limited-short'), start_parameter: 'search' },
        });
      }
      return;
    }
    const query = ctx.inlineQuery.query;
    const page = Math.min(parseInlineOffset(ctx.inlineQuery.offset), maxInlinePages - 1);
    let items: RenderableResult[] = [];
    let hasMore = false;
    const outcome = query.trim() === '' ? null : await searchArticles(deps.store, query, { page, pageSize: inlinePageSize });
    if (outcome?.kind === 'results') {
      items = outcome.items;
      hasMore = outcome.hasMore;
    } else if (outcome === null || outcome.kind === 'empty') {
      // Nothing to look for: the newest articles, paged the same way.
      const latest = await deps.store.latestItems((page + 1) * inlinePageSize + 1);
      items = latest.slice(page * inlinePageSize, (page + 1) * inlinePageSize);
      hasMore = latest.length > (page + 1) * inlinePageSize;
    } else {
      ctx.log.warn({ kind: (outcome as { kind: unknown }).kind }, 'unknown search outcome');
    }
    ctx.log.info({ query: query.slice(0, 200), page, results: items.length }, 'inline search');
    await ctx.answerInlineQuery(items.map(inlineResult), {
      cache_time: inlineCacheSeconds,
      is_personal: false,
      next_offset: hasMore && page + 1 < maxInlinePages ? String(page + 1) : '',
    });
  });
  return feature;
}
