import { Composer } from 'grammy';
import type { AddSourceResult } from '../../pipeline/add-source.js';
import { SourceError } from '../../sources/types.js';
import type { SourceRecord, Store } from '../../store/store.js';
import { escapeHtml } from '../../text/index.js';
import type { BotContext } from '../context.js';
import { commandArgs, formatDuration, sourceLabel } from '../render.js';
import { replyHtml } from '../reply.js';

export interface SourcesFeatureDeps {
  store: Store;
  botAdmins: ReadonlySet<number>;
  addSource: (url: string) => Promise<AddSourceResult>;
  /** A source was added or removed (the scheduler may want to know). */
  onSourcesChanged?: () => void;
}

const maxErrorShown = 120;
const maxTitleShown = 120;

/** One line on a source's health: its state, last success, last error, next poll. */
function sourceHealth(ctx: BotContext, source: SourceRecord, now: number): string {
  const parts: string[] = [];
  if (source.state === 'paused') parts.push(ctx.t('sources-health-paused', { id: String(source.id) }));
  if (source.state === 'retired') parts.push(ctx.t('sources-health-retired'));
  parts.push(
    source.lastSuccessAt
      ? ctx.t('sources-health-success', { ago: formatDuration(ctx, now - Date.parse(source.lastSuccessAt)) })
      : ctx.t('sources-health-never'),
  );
  if (source.lastError) {
    parts.push(
      ctx.t('sources-health-error', {
        failures: source.consecutiveFailures,
        error: escapeHtml(source.lastError.slice(0, maxErrorShown)),
      }),
    );
  }
  if (source.state === 'active') {
    const wait = source.nextPollAt.getTime() - now;
    parts.push(wait <= 0 ? ctx.t('sources-health-next-now') : ctx.t('sources-health-next', { in: formatDuration(ctx, wait) }));
  }
  if (source.fullText) parts.push(ctx.t('sources-health-fulltext'));
  if (source.intervalSeconds !== null) parts.push(ctx.t('sources-health-interval', { every: formatDuration(ctx, source.intervalSeconds * 1000) }));
  return parts.join(' · ');
}

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
    const now = Date.now();
    const lines = sources.map((source) =>
      [
        ctx.t('sources-line', {
          id: String(source.id),
          title: sourceLabel(source, maxTitleShown),
          host: escapeHtml(hostOf(source.feedUrl)),
          items: String(source.itemCount),
          count: source.itemCount,
          status: '',
        }),
        `    ${sourceHealth(ctx, source, now)}`,
      ].join('\n'),
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
      const title = sourceLabel(result.source, maxTitleShown);
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
    return replyHtml(ctx, ctx.t('removesource-done', { id: arg, title: sourceLabel(source, maxTitleShown) }));
  });

  /** A source id argument, or null after telling the admin how to use the command. */
  async function sourceArg(ctx: BotContext, arg: string | undefined, usage: string): Promise<SourceRecord | null> {
    if (!arg || !/^\d{1,12}$/.test(arg)) {
      await replyHtml(ctx, ctx.t(usage));
      return null;
    }
    const source = await store.getSource(Number(arg));
    if (!source) await replyHtml(ctx, ctx.t('removesource-not-found', { id: arg }));
    return source;
  }

  feature.command('resumesource', async (ctx) => {
    if (!isBotAdmin(ctx)) return replyHtml(ctx, ctx.t('not-bot-admin'));
    const source = await sourceArg(ctx, commandArgs(ctx)[0], 'resumesource-usage');
    if (!source) return;
    await store.setSourceState(source.id, 'active', null);
    ctx.log.info({ sourceId: source.id, was: source.state }, 'source resumed');
    return replyHtml(ctx, ctx.t('resumesource-done', { id: String(source.id), title: sourceLabel(source, maxTitleShown) }));
  });

  feature.command('setinterval', async (ctx) => {
    if (!isBotAdmin(ctx)) return replyHtml(ctx, ctx.t('not-bot-admin'));
    const [id, value] = commandArgs(ctx);
    const minutes = value === undefined ? Number.NaN : value.toLowerCase() === 'auto' ? null : Number(value);
    if (minutes !== null && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440)) {
      return replyHtml(ctx, ctx.t('setinterval-usage'));
    }
    const source = await sourceArg(ctx, id, 'setinterval-usage');
    if (!source) return;
    await store.setSourceInterval(source.id, minutes === null ? null : minutes * 60);
    ctx.log.info({ sourceId: source.id, minutes }, 'source interval set');
    const title = sourceLabel(source, maxTitleShown);
    return replyHtml(
      ctx,
      minutes === null
        ? ctx.t('setinterval-auto', { id: String(source.id), title })
        : ctx.t('setinterval-done', { id: String(source.id), title, every: formatDuration(ctx, minutes * 60_000) }),
    );
  });

  feature.command('fulltext', async (ctx) => {
    if (!isBotAdmin(ctx)) return replyHtml(ctx, ctx.t('not-bot-admin'));
    const [id, value] = commandArgs(ctx);
    const on = value?.toLowerCase() === 'on' ? true : value?.toLowerCase() === 'off' ? false : null;
    if (on === null) return replyHtml(ctx, ctx.t('fulltext-usage'));
    const source = await sourceArg(ctx, id, 'fulltext-usage');
    if (!source) return;
    await store.setSourceFullText(source.id, on);
    ctx.log.info({ sourceId: source.id, fullText: on }, 'source full text set');
    const title = sourceLabel(source, maxTitleShown);
    return replyHtml(ctx, ctx.t(on ? 'fulltext-on' : 'fulltext-off', { id: String(source.id), title }));
  });

  return feature;
}
