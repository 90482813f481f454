import { Composer } from 'grammy';
import type { DeliveryState, SourceRecord, Store } from '../../store/store.js';
import { escapeHtml } from '../../text/index.js';
import type { BotContext } from '../context.js';
import { formatDuration, sourceLabel } from '../render.js';
import { replyHtml } from '../reply.js';

/** What the process knows about itself, shown by /status. */
export interface StatusFacts {
  /** package.json's version. */
  version: string;
  /** When the process started; uptime is measured from here. */
  startedAt: Date;
}

export interface StatusFeatureDeps {
  store: Store;
  botAdmins: ReadonlySet<number>;
  facts: StatusFacts;
  /** The clock (tests pass a fixed one). */
  now?: () => number;
}

/**
 * A bot with thousands of failing sources must still answer in one message: only the sources that
 * failed most in a row are listed, each with a short error, and the rest are counted.
 */
const maxFailingShown = 8;
const maxTitleShown = 60;
const maxErrorShown = 100;

/** The health of the whole bot as plain numbers, read from the store in one go. */
export interface StatusSnapshot {
  sources: { active: number; paused: number; retired: number };
  /** Sources whose last poll failed, most failures first (all of them; the answer shows a few). */
  failing: SourceRecord[];
  /** The earliest next poll among active sources, or null when none is active. */
  nextPollAt: Date | null;
  deliveries: Record<DeliveryState, number>;
  oldestWaitingAt: Date | null;
}

/** Reads what /status reports from the store. */
export async function readStatus(store: Store): Promise<StatusSnapshot> {
  const [sources, deliveries, oldestWaitingAt] = await Promise.all([
    store.listSources(),
    store.countDeliveries(),
    store.oldestWaitingDeliveryAt(),
  ]);
  const counts = { active: 0, paused: 0, retired: 0 };
  let nextPollAt: Date | null = null;
  for (const source of sources) {
    counts[source.state] += 1;
    if (source.state === 'active' && (nextPollAt === null || source.nextPollAt < nextPollAt)) nextPollAt = source.nextPollAt;
  }
  // A retired source failed for good (410) and says so under /sources; "failing now" is what may still recover.
  const failing = sources
    .filter((source) => source.state !== 'retired' && source.consecutiveFailures > 0 && source.lastError !== null)
    .sort((a, b) => b.consecutiveFailures - a.consecutiveFailures || a.id - b.id);
  return { sources: counts, failing, nextPollAt, deliveries, oldestWaitingAt };
}

/** The /status answer in the reader's language: short, bounded, HTML-escaped. */
export function renderStatus(ctx: BotContext, snapshot: StatusSnapshot, facts: StatusFacts, now: number): string {
  const lines = [
    ctx.t('status-header', { version: escapeHtml(facts.version), uptime: formatDuration(ctx, now - facts.startedAt.getTime()) }),
    '',
    ctx.t('status-sources', {
      active: String(snapshot.sources.active),
      paused: String(snapshot.sources.paused),
      retired: String(snapshot.sources.retired),
    }),
  ];
  if (snapshot.nextPollAt === null) lines.push(ctx.t('status-next-poll-none'));
  else {
    const wait = snapshot.nextPollAt.getTime() - now;
    lines.push(wait <= 0 ? ctx.t('status-next-poll-now') : ctx.t('status-next-poll', { in: formatDuration(ctx, wait) }));
  }
  if (snapshot.failing.length === 0) lines.push(ctx.t('status-failing-none'));
  else {
    lines.push(ctx.t('status-failing-header', { count: snapshot.failing.length, n: String(snapshot.failing.length) }));
    for (const source of snapshot.failing.slice(0, maxFailingShown)) {
      lines.push(
        ctx.t('status-failing-line', {
          id: String(source.id),
          title: sourceLabel(source, maxTitleShown),
          failures: String(source.consecutiveFailures),
          error: escapeHtml(cutError(source.lastError ?? '')),
        }),
      );
    }
    const more = snapshot.failing.length - maxFailingShown;
    if (more > 0) lines.push(ctx.t('status-failing-more', { more: String(more) }));
  }
  const d = snapshot.deliveries;
  lines.push(
    '',
    ctx.t('status-deliveries', {
      pending: String(d.pending),
      sending: String(d.sending),
      sent: String(d.sent),
      failed: String(d.failed),
      paused: String(d.paused),
    }),
    snapshot.oldestWaitingAt === null
      ? ctx.t('status-queue-empty')
      : ctx.t('status-queue', {
          depth: String(d.pending + d.sending),
          age: formatDuration(ctx, now - snapshot.oldestWaitingAt.getTime()),
        }),
  );
  return lines.join('\n');
}

/** One line of an error, cut at a code point (errors are stored capped, but may hold newlines). */
function cutError(error: string): string {
  const oneLine = error.replace(/\s+/g, ' ').trim();
  const chars = Array.from(oneLine);
  return chars.length <= maxErrorShown ? oneLine : `${chars.slice(0, maxErrorShown - 1).join('')}…`;
}

/** /status: the bot's health for its administrators (sources, outbox, uptime, version). */
export function createStatusFeature(deps: StatusFeatureDeps): Composer<BotContext> {
  const now = deps.now ?? Date.now;
  const feature = new Composer<BotContext>();
  feature.command('status', async (ctx) => {
    if (ctx.from === undefined || !deps.botAdmins.has(ctx.from.id)) return replyHtml(ctx, ctx.t('status-not-bot-admin'));
    // Source errors and queue sizes are for the admins, not for every member of a group.
    if (ctx.chat?.type !== 'private') return replyHtml(ctx, ctx.t('status-private-only'));
    const snapshot = await readStatus(deps.store);
    return replyHtml(ctx, renderStatus(ctx, snapshot, deps.facts, now()));
  });
  return feature;
}
