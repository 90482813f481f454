import type { SourceRecord } from '../store/store.js';
import { nextPollAfterSuccess } from './poll-schedule.js';
import type { PipelineDeps } from './ports.js';
import { recordItemsInChunks } from './record-items.js';
import { maxSignatureLines } from './source-signatures.js';

export type AddSourceResult =
  | { created: true; source: SourceRecord; itemCount: number }
  | { created: false; source: SourceRecord };

/**
 * Adds a source: reads it at once (so the admin learns straight away whether it works), finding the
 * feed when the URL is a web page, stores it and its current items — searchable, but never posted:
 * only items that appear later are posted, so adding a source never floods a channel. Adding the
 * same URL twice changes nothing.
 * @throws SourceError when the URL cannot be read as a feed.
 */
export async function addSource(deps: PipelineDeps, url: string): Promise<AddSourceResult> {
  const { store, readSource, logger } = deps;
  const known = await store.findSourceByUrl(url);
  if (known) return { created: false, source: known };

  const reading = await readSource(url, { discover: true });
  if (reading.notModified) throw new Error('unexpected "unchanged" for a first read');
  const { feed } = reading;
  const { source, created } = await store.addSource({ url, feedUrl: reading.feedUrl, title: feed.title });
  if (!created) return { created: false, source };

  const signatures = feed.title ? [feed.title] : [];
  let items = await deps.cpu.makeItems({ entries: feed.entries, signatures });
  // A source's first items show its signature at once when it has one: learnt from them, it is kept
  // out of their index entries and headlines (the items are made again without it).
  const learned = await deps.cpu.learnSignatures(items.map((item) => item.bodyText ?? ''));
  if (learned.length > 0) {
    await store.setSourceSignatures(source.id, learned.slice(0, maxSignatureLines));
    items = await deps.cpu.makeItems({ entries: feed.entries, signatures: [...signatures, ...learned] });
  }
  await recordItemsInChunks(store, source.id, items, { deliver: false });
  const now = deps.now?.() ?? new Date();
  await store.recordPollOutcome(source.id, {
    ok: true,
    etag: reading.etag,
    lastModified: reading.lastModified,
    bodyHash: reading.bodyHash,
    format: feed.format,
    ttlMinutes: feed.ttlMinutes,
    nextPollAt: nextPollAfterSuccess({
      now,
      intervalSeconds: null,
      ttlMinutes: feed.ttlMinutes,
      maxAgeSeconds: reading.maxAgeSeconds,
      lastNewItemAt: now,
    }),
  });
  logger.info(
    { sourceId: source.id, url, feedUrl: reading.feedUrl, format: feed.format, items: items.length, droppedEntries: feed.droppedEntries || undefined },
    'source added',
  );
  const stored = (await store.getSource(source.id)) ?? source;
  return { created: true, source: stored, itemCount: items.length };
}
