import { Composer } from 'grammy';
import type { AddSourceResult } from '../../pipeline/add-source.js';
import { SourceError } from '../../sources/types.js';
import type { Store } from '../../store/store.js';
import { escapeHtml } from '../../text/index.js';
import type { BotContext } from '../context.js';
import { commandArgs } from '../render.js';
import { replyHtml } from '../reply.js';

export interface SourcesFeatureDeps {
  store: Store;
  botAdmins: ReadonlySet<number>;
  addSource: (url: string) => Promise<AddSourceResult>;
  /** A source was added or removed (the scheduler may want to know). */
  onSourcesChanged?: () => void;
}

const maxErrorShown = 120;

/** The site's host name, to tell apart sources with similar titles. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** /sources for everyone; /addsource and /removesource for the bot's administrators. */
export function createSourcesFeature(deps: SourcesFeatureDeps): Composer<BotContext> {
  const { store, botAdmins } = deps;
  const feature = new Composer<BotContext>();

  feature.command('sources', async (ctx) => {
    const sources = await store.listSources();
    if (sources.length === 0) return replyHtml(ctx, ctx.t('sources-empty'));
    const lines = sources.map((source) =>
      ctx.t('sources-line', {
        id: String(source.id),
        title: escapeHtml(source.title ?? source.url),
        host: escapeHtml(hostOf(source.feedUrl)),
        items: String(source.itemCount),
        count: source.itemCount,
        status: source.lastError
          ? ctx.t('sources-status-error', { error: escapeHtml(source.lastError.slice(0, maxErrorShown)) })
          : '',
      }),
    );
    return replyHtml(ctx, [ctx.t('sources-header'), ...lines].join('\n'));
  });

  const isBotAdmin = (ctx: BotContext) => ctx.from !== undefined && botAdmins.has(ctx.from.id);

  feature.command('addsource', async (ctx) => {
    if (!isBotAdmin(ctx)) return replyHtml(ctx, ctx.t('not-bot-admin'));
    const [url] = commandArgs(ctx);
    if (!url) return replyHtml(ctx, ctx.t('addsource-usage'));
    await ctx.replyWithChatAction('typing').catch(() => undefined);
    try {
      const result = await deps.addSource(url);
      const title = escapeHtml(result.source.title ?? result.source.url);
      if (!result.created) return replyHtml(ctx, ctx.t('addsource-exists', { title, id: String(result.source.id) }));
      deps.onSourcesChanged?.();
      return replyHtml(ctx, ctx.t('addsource-added', { title, id: String(result.source.id), items: String(result.itemCount), count: result.itemCount }));
    } catch (err) {
      const code = err instanceof SourceError ? err.code : 'unknown';
      ctx.log.warn({ err, url }, 'addsource refused');
      const reason = ctx.t(`source-error-${code}`, { status: String(err instanceof SourceError ? (err.detail.status ?? '') : '') });
      return replyHtml(ctx, ctx.t('addsource-failed', { url: escapeHtml(url), reason }));
    }
  });

  feature.command('removesource', async (ctx) => {
    if (!isBotAdmin(ctx)) return replyHtml(ctx, ctx.t('not-bot-admin'));
    const [arg] = commandArgs(ctx);
    if (!arg || !/^\d{1,12}$/.test(arg)) return replyHtml(ctx, ctx.t('removesource-usage'));
    const id = Number(arg);
    const source = await store.getSource(id);
    if (!source || !(await store.removeSource(id))) return replyHtml(ctx, ctx.t('removesource-not-found', { id: arg }));
    deps.onSourcesChanged?.();
    ctx.log.info({ sourceId: id }, 'source removed');
    return replyHtml(ctx, ctx.t('removesource-done', { id: arg, title: escapeHtml(source.title ?? source.url) }));
  });

  return feature;
}
