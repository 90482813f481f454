import { Composer, GrammyError } from 'grammy';
import { searchArticles, searchPageSize, type SearchOutcome } from '../../search/search-articles.js';
import type { Store } from '../../store/store.js';
import { cutText, escapeHtml } from '../../text/index.js';
import { memberOrNull } from '../chat-admin.js';
import type { BotContext } from '../context.js';
import { displayText, renderSearchPage, searchPageKeyboard } from '../render.js';
import { replyHtml } from '../reply.js';
import { mayTurnPages, pageButtonPattern, parsePageButtonData, SearchPageStore, type SearchAsker } from '../search-pages.js';
import type { SearchRateLimiter } from '../search-rate-limit.js';

const maxEchoedQuery = 80;
/** Pages a reader can go through (100 results): a deeper page costs the index more than it helps. */
export const maxSearchPages = 20;

export interface SearchFeatureDeps {
  store: Store;
  /** Shared with inline search: one budget per user for every way of searching. */
  limiter: SearchRateLimiter;
  pages?: SearchPageStore;
}

/** The key a user's searches are counted under: the user, else (a channel post) the chat. */
export function rateKey(ctx: BotContext): number | null {
  return ctx.from?.id ?? ctx.chat?.id ?? null;
}

/**
 * Who asked: the user, unless the message was written as a chat (a channel post, an anonymous group
 * administrator, a channel posting in its discussion group), whose real sender is not known.
 */
function askerOf(ctx: BotContext): SearchAsker {
  if (ctx.chat?.type === 'channel' || ctx.msg?.sender_chat || !ctx.from) return { kind: 'chat' };
  return { kind: 'user', userId: ctx.from.id };
}

/** The echo of the query in headers: safe to show, short, escaped. */
function echoQuery(query: string): string {
  return escapeHtml(cutText(displayText(query), maxEchoedQuery));
}

/**
 * What a search outcome shows: the page's HTML and whether there is a next page; null when the
 * outcome is not a list (the caller answers with usage).
 */
function pageOf(ctx: BotContext, query: string, outcome: SearchOutcome): { text: string; hasMore: boolean; page: number } | null {
  switch (outcome.kind) {
    case 'empty':
      return null;
    case 'results': {
      const echoed = echoQuery(query);
      if (outcome.items.length === 0) return { text: ctx.t('search-nothing', { query: echoed }), hasMore: false, page: outcome.page };
      const hasMore = outcome.hasMore && outcome.page + 1 < maxSearchPages;
      const header = ctx.t('search-results', { query: echoed });
      return { text: renderSearchPage(ctx, header, outcome.items, outcome.page * searchPageSize), hasMore, page: outcome.page };
    }
    default: {
      // A kind this feature does not know yet (search may grow new ones): say nothing was found
      // rather than fail the update.
      ctx.log.warn({ kind: (outcome as { kind: unknown }).kind }, 'unknown search outcome');
      return { text: ctx.t('search-nothing', { query: echoQuery(query) }), hasMore: false, page: 0 };
    }
  }
}

/**
 * /search words — and, in a private chat, any plain text is taken as a search. More than one page
 * of results gets previous/next buttons that edit the same message; the query stays on the server
 * (see {@link SearchPageStore}).
 */
export function createSearchFeature(deps: SearchFeatureDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const pages = deps.pages ?? new SearchPageStore();

  /** True when the search may go ahead; otherwise the user is told once per burst. */
  const admitted = async (ctx: BotContext): Promise<boolean> => {
    const key = rateKey(ctx);
    const decision = key === null ? 'allow' : deps.limiter.take(key);
    if (decision === 'allow') return true;
    ctx.log.info({ decision }, 'search rate limited');
    if (decision === 'warn') {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('search-rate-limited') });
      else await replyHtml(ctx, ctx.t('search-rate-limited'));
    } else if (ctx.callbackQuery) {
      // The button's spinner stops only when the press is answered.
      await ctx.answerCallbackQuery();
    }
    return false;
  };

  const answer = async (ctx: BotContext, query: string) => {
    // A bare /search costs the index nothing, so it is not counted: the user just learns how to search.
    if (query.trim() === '') return replyHtml(ctx, ctx.t('search-usage'));
    if (!(await admitted(ctx))) return;
    const outcome = await searchArticles(deps.store, query, { page: 0, pageSize: searchPageSize });
    const shown = pageOf(ctx, query, outcome);
    if (!shown) return replyHtml(ctx, ctx.t('search-usage'));
    ctx.log.info({ query: query.slice(0, 200), hasMore: shown.hasMore }, 'search');
    if (!shown.hasMore) return replyHtml(ctx, shown.text);
    const id = pages.create(query, ctx.chat!.id, askerOf(ctx));
    try {
      const sent = await ctx.reply(shown.text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_markup: searchPageKeyboard(ctx, id, 0, true),
      });
      pages.bind(id, sent.message_id);
    } catch (err) {
      pages.delete(id);
      throw err;
    }
  };

  feature.command('search', (ctx) => answer(ctx, typeof ctx.match === 'string' ? ctx.match : ''));
  feature.chatType('private').on('message:text', async (ctx, next) => {
    if (ctx.message.text.startsWith('/')) return next();
    await answer(ctx, ctx.message.text);
  });

  feature.callbackQuery(pageButtonPattern, async (ctx) => {
    const pressed = parsePageButtonData(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    if (!pressed || !message) return ctx.answerCallbackQuery({ text: ctx.t('search-page-foreign') });
    const found = pages.lookup(pressed.id, message.chat.id, message.message_id);
    if (found.kind === 'expired') return ctx.answerCallbackQuery({ text: ctx.t('search-page-expired'), show_alert: true });
    if (found.kind === 'foreign') return ctx.answerCallbackQuery({ text: ctx.t('search-page-foreign') });
    const { state } = found;
    const isChatAdmin = async (userId: number) => {
      const member = await memberOrNull(ctx.api, state.chatId, userId);
      return member?.status === 'creator' || member?.status === 'administrator';
    };
    if (!(await mayTurnPages(state.askedBy, ctx.from.id, isChatAdmin))) {
      ctx.log.info({ askedBy: state.askedBy }, 'search page refused: not the asker');
      return ctx.answerCallbackQuery({ text: ctx.t('search-page-not-yours') });
    }
    // The page number in the middle, or a double tap: nothing to change.
    if (pressed.page === state.page || pressed.page >= maxSearchPages) return ctx.answerCallbackQuery();
    if (!(await admitted(ctx))) return;
    const outcome = await searchArticles(deps.store, state.query, { page: pressed.page, pageSize: searchPageSize });
    const shown = pageOf(ctx, state.query, outcome);
    if (!shown) return ctx.answerCallbackQuery({ text: ctx.t('search-page-expired'), show_alert: true });
    ctx.log.info({ page: pressed.page, hasMore: shown.hasMore }, 'search page');
    try {
      await ctx.editMessageText(shown.text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_markup: searchPageKeyboard(ctx, pressed.id, shown.page, shown.hasMore),
      });
      state.page = shown.page;
    } catch (err) {
      // Two presses racing to the same page: the second edit changes nothing, which is fine.
      if (!(err instanceof GrammyError && err.description.includes('message is not modified'))) throw err;
    }
    await ctx.answerCallbackQuery();
  });
  return feature;
}
