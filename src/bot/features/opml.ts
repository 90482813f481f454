import { Composer, InputFile } from 'grammy';
import type { ImportProgress, ImportSourcesOptions, ImportSummary } from '../../pipeline/import-sources.js';
import { decodeBody } from '../../sources/decode-body.js';
import { readOpmlSources, writeOpml } from '../../sources/opml.js';
import { TelegramFileError } from '../../sources/telegram-file.js';
import type { Store } from '../../store/store.js';
import { escapeHtml } from '../../text/index.js';
import type { BotContext } from '../context.js';
import { replyHtml } from '../reply.js';

export interface OpmlFeatureDeps {
  store: Store;
  botAdmins: ReadonlySet<number>;
  /** Adds the sources, each through the add-source use case (see pipeline/import-sources). */
  importSources: (urls: string[], options: ImportSourcesOptions) => Promise<ImportSummary>;
  /** Downloads a file the user sent, by its getFile `file_path`; throws when it is larger than `maxBytes`. */
  downloadFile: (filePath: string, maxBytes: number) => Promise<Buffer>;
  onSourcesChanged?: () => void;
  /** How often the progress message is edited at most. Default 2 000 ms (Telegram limits edits). */
  progressEveryMs?: number;
}

/** Largest OPML file accepted. */
export const maxOpmlBytes = 1024 * 1024;
/** Refusals listed after an import; the rest are counted. */
const maxRefusalsListed = 30;
const maxUrlShown = 150;

const opmlFileName = /\.(?:opml|xml)$/i;
const opmlMimeTypes = new Set(['text/x-opml', 'text/x-opml+xml', 'application/xml', 'text/xml', 'application/opml+xml']);

/**
 * OPML import and export, for the bot's administrators: an .opml file sent in a private chat adds
 * every feed it lists (progress shown in one message, edited as it goes, then what was refused and
 * why); /export answers with an OPML file of every source.
 */
export function createOpmlFeature(deps: OpmlFeatureDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const isBotAdmin = (ctx: BotContext) => ctx.from !== undefined && deps.botAdmins.has(ctx.from.id);

  feature.command('export', async (ctx) => {
    if (!isBotAdmin(ctx)) return replyHtml(ctx, ctx.t('export-not-bot-admin'));
    const sources = await deps.store.listSources();
    if (sources.length === 0) return replyHtml(ctx, ctx.t('export-empty'));
    const document = writeOpml(sources.map((source) => ({ title: source.title, feedUrl: source.feedUrl })));
    await ctx.replyWithDocument(new InputFile(Buffer.from(document, 'utf8'), 'nashra-sources.opml'), {
      caption: ctx.t('export-caption', { count: sources.length, sources: String(sources.length) }),
    });
    ctx.log.info({ sources: sources.length }, 'sources exported');
  });

  feature.chatType('private').on('message:document', async (ctx) => {
    if (!isBotAdmin(ctx)) return replyHtml(ctx, ctx.t('not-bot-admin'));
    const { document } = ctx.message;
    const looksLikeOpml =
      opmlFileName.test(document.file_name ?? '') || opmlMimeTypes.has((document.mime_type ?? '').toLowerCase());
    if (!looksLikeOpml) return replyHtml(ctx, ctx.t('opml-not-opml'));
    if ((document.file_size ?? 0) > maxOpmlBytes) return replyHtml(ctx, ctx.t('opml-too-large'));

    let bytes: Buffer;
    try {
      const file = await ctx.getFile();
      if (!file.file_path) throw new TelegramFileError('http_status', 'getFile gave no file_path');
      bytes = await deps.downloadFile(file.file_path, maxOpmlBytes);
    } catch (err) {
      ctx.log.warn({ err, fileName: document.file_name }, 'opml download failed');
      const tooLarge = err instanceof TelegramFileError && err.code === 'too_large';
      return replyHtml(ctx, ctx.t(tooLarge ? 'opml-too-large' : 'opml-download-failed'));
    }

    const reading = readOpmlSources(decodeBody(bytes, 'application/xml'));
    if (reading.refused !== null) {
      ctx.log.warn({ refused: reading.refused, fileName: document.file_name }, 'opml refused');
      const key = { hostile_document: 'opml-hostile', too_large: 'opml-too-large', not_opml: 'opml-not-opml' } as const;
      return replyHtml(ctx, ctx.t(key[reading.refused]));
    }
    if (reading.urls.length === 0) return replyHtml(ctx, ctx.t('opml-empty'));
    ctx.log.info({ sources: reading.urls.length, skipped: reading.skipped, truncated: reading.truncated }, 'opml import started');

    const summary = await importWithProgress(ctx, deps, reading.urls);
    if (summary.added.length > 0) deps.onSourcesChanged?.();

    const notes: string[] = [];
    if (reading.truncated) notes.push(ctx.t('opml-truncated'));
    if (reading.skipped > 0) notes.push(ctx.t('opml-skipped', { count: reading.skipped, skipped: String(reading.skipped) }));
    if (summary.refused.length > 0) notes.push(refusalList(ctx, summary.refused));
    if (notes.length > 0) await replyHtml(ctx, notes.join('\n\n'));
  });

  return feature;
}

/**
 * Runs the import while one message shows how far it got: edited at most every `progressEveryMs`
 * (Telegram rate-limits edits), only when the figures changed, and once more at the end.
 */
async function importWithProgress(ctx: BotContext, deps: OpmlFeatureDeps, urls: string[]): Promise<ImportSummary> {
  const progressText = (progress: ImportProgress) =>
    ctx.t('opml-progress', {
      done: String(progress.done),
      total: String(progress.total),
      added: String(progress.added),
      existing: String(progress.existing),
      refused: String(progress.refused),
    });
  let latest: ImportProgress = { total: urls.length, done: 0, added: 0, existing: 0, refused: 0 };
  let shown = progressText(latest);
  const message = await ctx.reply(shown);

  // Edits run one after another, so the final one can never be overtaken by a late progress edit.
  let editing: Promise<void> = Promise.resolve();
  const edit = (text: string): Promise<void> => {
    if (text === shown) return editing;
    shown = text;
    editing = editing.then(() =>
      ctx.api.editMessageText(message.chat.id, message.message_id, text).then(
        () => undefined,
        (err: unknown) => ctx.log.warn({ err }, 'could not edit the import progress'),
      ),
    );
    return editing;
  };

  const timer = setInterval(() => void edit(progressText(latest)), deps.progressEveryMs ?? 2000);
  let summary: ImportSummary;
  try {
    summary = await deps.importSources(urls, { concurrency: 8, onProgress: (progress) => (latest = progress) });
  } finally {
    clearInterval(timer);
  }
  await edit(
    ctx.t('opml-done', {
      total: String(urls.length),
      count: urls.length,
      added: String(summary.added.length),
      existing: String(summary.existing.length),
      refused: String(summary.refused.length),
    }),
  );
  ctx.log.info(
    { added: summary.added.length, existing: summary.existing.length, refused: summary.refused.length },
    'opml import done',
  );
  return summary;
}

/** What was refused and why, one line each, at most {@link maxRefusalsListed} lines. */
function refusalList(ctx: BotContext, refused: ImportSummary['refused']): string {
  const lines = refused.slice(0, maxRefusalsListed).map((refusal) => {
    const url = refusal.url.length > maxUrlShown ? `${refusal.url.slice(0, maxUrlShown)}…` : refusal.url;
    const reason = ctx.t(`source-error-${refusal.code}`, { status: String(refusal.status ?? '') });
    return ctx.t('opml-refused-line', { url: escapeHtml(url), reason });
  });
  if (refused.length > maxRefusalsListed) {
    const more = refused.length - maxRefusalsListed;
    lines.push(ctx.t('opml-refused-more', { count: more, more: String(more) }));
  }
  return [ctx.t('opml-refused-header'), ...lines].join('\n');
}
