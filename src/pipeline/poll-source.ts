import { SourceError, type FeedEntry } from '../sources/types.js';
import type { SourceRecord } from '../store/store.js';
import {
  countFloodPolls,
  floodPollsToNotice,
  nextPollAfterFailure,
  nextPollAfterSuccess,
  shouldPause,
} from './poll-schedule.js';
import { correctHeadlines, findCorrectedEntries } from './correct-headlines.js';
import type { PipelineDeps } from './ports.js';
import { recordItemsInChunks } from './record-items.js';
import { learnSourceSignatures, sourceSignatures } from './source-signatures.js';

export type PollResult =
  | {
      ok: true;
      newItems: number;
      queuedDeliveries: number;
      unposted: number;
      notModified: boolean;
      /** Items whose headline the source corrected, and the edits of sent posts that queued. */
      corrected?: number;
      queuedEdits?: number;
    }
  | { ok: false; error: string };

export const defaultPostsPerPoll = 20;

/**
 * Polls one source, at a cost proportional to what is new in it:
 * - a 304, or a body byte-identical to the last one read, ends the poll before any parsing;
 * - entry keys are checked against the store before any text work, and only new entries go through
 *   text/ (on the worker threads, like the parse itself);
 * - new items are stored and queued in one transaction, at most `postsPerPoll` of them posted (the
 *   newest); a feed whose entries are nearly all new at every poll posts nothing more after the first
 *   such poll, and the bot admins are told once;
 * - a known entry whose raw title changed within a day of first sight (issue 13 §4) is made again and
 *   corrected in place, and its posts already sent are edited, never posted again.
 * It also schedules the source's next poll (server hints, failures backing off, pausing after too
 * many in a row, retiring on 410). Never throws: a failing source is recorded and reported, and the
 * caller goes on with the others.
 */
export async function pollSource(deps: PipelineDeps, source: SourceRecord): Promise<PollResult> {
  const { store } = deps;
  const now = deps.now?.() ?? new Date();
  const log = deps.logger.child({ sourceId: source.id, url: source.feedUrl });
  const lastNewItemAt = new Date(source.lastNewItemAt ?? source.addedAt);
  try {
    const reading = await deps.readSource(source.feedUrl, {
      memory: { etag: source.etag, lastModified: source.lastModified, bodyHash: source.bodyHash },
    });
    if (reading.notModified) {
      const nextPollAt = nextPollAfterSuccess({
        now,
        intervalSeconds: source.intervalSeconds,
        ttlMinutes: source.ttlMinutes,
        maxAgeSeconds: reading.maxAgeSeconds,
        lastNewItemAt,
      });
      await store.recordPollOutcome(source.id, {
        ok: true,
        etag: reading.etag,
        lastModified: reading.lastModified,
        feedUrl: reading.movedTo ?? undefined,
        nextPollAt,
      });
      log.debug('poll: unchanged');
      return { ok: true, newItems: 0, queuedDeliveries: 0, unposted: 0, notModified: true };
    }

    const { feed } = reading;
    const known = await store.findKnownItems(source.id, feed.entries.map((entry) => entry.key));
    const fresh = feed.entries.filter((entry) => !known.has(entry.key));
    // Known entries whose title changed within a day of first sight: their posts are edited, not repeated.
    const corrected = findCorrectedEntries(feed.entries, known, now);
    const floodPolls = countFloodPolls(source.floodPolls, fresh.length, feed.entries.length);
    // The first poll that looks like a flood may be a real burst of news; the next ones are not posted.
    const postLimit = floodPolls >= 2 ? 0 : (deps.postsPerPoll ?? defaultPostsPerPoll);
    const pages = source.fullText ? await readPages(deps, fresh, postLimit) : undefined;
    const signatures = fresh.length + corrected.length === 0 ? [] : await sourceSignatures(store, source.id, feed.title);
    const items = fresh.length === 0 ? [] : await deps.cpu.makeItems({ entries: fresh, signatures, pages });
    const recorded = await recordItemsInChunks(store, source.id, items, { deliver: true, postLimit, now, periodEnd: deps.periodEnd });
    const corrections = await correctHeadlines(deps, corrected, {
      signatures,
      pages: source.fullText && corrected.length > 0 ? await readPages(deps, corrected.map(({ entry }) => entry), corrected.length) : undefined,
    });
    if (recorded.newItemIds.length > 0) {
      // Learning is a refinement: a failure here must not count as a failed poll.
      await learnSourceSignatures(deps, source.id).catch((err: unknown) => log.warn({ err }, 'source signature not learned'));
    }
    await store.recordPollOutcome(source.id, {
      ok: true,
      etag: reading.etag,
      lastModified: reading.lastModified,
      bodyHash: reading.bodyHash,
      feedUrl: reading.movedTo ?? undefined,
      title: feed.title,
      format: feed.format,
      ttlMinutes: feed.ttlMinutes,
      newItems: recorded.newItemIds.length,
      floodPolls,
      nextPollAt: nextPollAfterSuccess({
        now,
        intervalSeconds: source.intervalSeconds,
        ttlMinutes: feed.ttlMinutes,
        maxAgeSeconds: reading.maxAgeSeconds,
        lastNewItemAt: recorded.newItemIds.length > 0 ? now : lastNewItemAt,
      }),
    });
    if (reading.movedTo) log.info({ movedTo: reading.movedTo }, 'source moved for good (301)');
    if (floodPolls >= floodPollsToNotice && !source.floodNoticed) {
      await store.markSourceFloodNoticed(source.id);
      deps.notify?.({ kind: 'flooding', source, newEntries: fresh.length, entries: feed.entries.length, polls: floodPolls });
    }
    log.info(
      {
        entries: feed.entries.length,
        droppedEntries: feed.droppedEntries || undefined,
        newItems: recorded.newItemIds.length,
        queuedDeliveries: recorded.queuedDeliveries,
        unposted: recorded.unposted || undefined,
        floodPolls: floodPolls || undefined,
        corrected: corrections.items || undefined,
        queuedEdits: corrections.edits || undefined,
      },
      'poll done',
    );
    return {
      ok: true,
      newItems: recorded.newItemIds.length,
      queuedDeliveries: recorded.queuedDeliveries,
      unposted: recorded.unposted,
      notModified: false,
      corrected: corrections.items,
      queuedEdits: corrections.edits,
    };
  } catch (err) {
    return recordFailure(deps, source, err, now);
  }
}

/** Pages read at once for one source, and at most how many per poll beyond those posted. */
const pageConcurrency = 4;

/**
 * Reads the pages of the newest new entries (those that will be posted, at least a few) for a source
 * set to full text. A page that cannot be read leaves its entry with the feed's excerpt.
 */
async function readPages(deps: PipelineDeps, fresh: FeedEntry[], postLimit: number): Promise<Record<string, string> | undefined> {
  const { readPage } = deps;
  if (!readPage) return undefined;
  const wanted = newestFirst(fresh)
    .filter((entry) => entry.link !== null)
    .slice(0, Math.max(postLimit, pageConcurrency));
  const pages: Record<string, string> = {};
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const entry = wanted[next++]!;
      try {
        pages[entry.key] = await readPage(entry.link!);
      } catch (err) {
        deps.logger.debug({ err, link: entry.link }, 'article page not read; the excerpt stays');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(pageConcurrency, wanted.length) }, worker));
  return pages;
}

/** Entries by date, newest first; undated ones keep the feed's order (newest on top). */
function newestFirst(entries: FeedEntry[]): FeedEntry[] {
  const time = (entry: FeedEntry) => (entry.publishedAt ? Date.parse(entry.publishedAt) : Number.NEGATIVE_INFINITY);
  return entries.map((entry, index) => ({ entry, index })).sort((a, b) => time(b.entry) - time(a.entry) || a.index - b.index).map(({ entry }) => entry);
}

async function recordFailure(deps: PipelineDeps, source: SourceRecord, err: unknown, now: Date): Promise<PollResult> {
  const log = deps.logger.child({ sourceId: source.id, url: source.feedUrl });
  const error = err instanceof Error ? err.message : String(err);
  const failures = source.consecutiveFailures + 1;
  const gone = err instanceof SourceError && err.code === 'gone';
  const state = gone ? 'retired' : shouldPause(failures) ? 'paused' : undefined;
  const retryAfterSeconds = err instanceof SourceError ? (err.detail.retryAfterSeconds ?? null) : null;
  log.warn({ err, failures, state }, 'poll failed');
  try {
    await deps.store.recordPollOutcome(source.id, {
      ok: false,
      error,
      state,
      nextPollAt: nextPollAfterFailure({ now, failures, retryAfterSeconds }),
    });
    if (state === 'retired') deps.notify?.({ kind: 'retired', source, error });
    if (state === 'paused') deps.notify?.({ kind: 'paused', source, failures, error });
  } catch (storeErr) {
    log.error({ err: storeErr }, 'could not record poll failure');
  }
  return { ok: false, error };
}
