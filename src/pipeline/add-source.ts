import type { SourceRecord } from '../store/store.js';
import type { PipelineDeps } from './ports.js';
import { toNewItems } from './to-new-item.js';

export type AddSourceResult =
  | { created: true; source: SourceRecord; itemCount: number }
  | { created: false; source: SourceRecord };

/**
 * Adds a source: reads it at once (so the admin learns straight away whether it works), stores it
 * and its current items — searchable, but never posted: only items that appear later are posted,
 * so adding a source never floods a channel. Adding the same URL twice changes nothing.
 * @throws SourceError when the URL cannot be read as a feed.
 */
export async function addSource(deps: PipelineDeps, url: string): Promise<AddSourceResult> {
  const { store, readSource, logger } = deps;
  const known = await store.findSourceByUrl(url);
  if (known) return { created: false, source: known };

  const reading = await readSource(url);
  if (reading.notModified) throw new Error('unexpected 304 for an unconditional request');
  const { source, created } = await store.addSource({ url, feedUrl: reading.feedUrl, title: reading.feed.title });
  if (!created) return { created: false, source };

  const items = toNewItems(reading.feed.entries, { signatures: reading.feed.title ? [reading.feed.title] : [] });
  await store.recordItems(source.id, items, { deliver: false });
  await store.recordPollOutcome(source.id, { ok: true, etag: reading.etag, lastModified: reading.lastModified });
  logger.info({ sourceId: source.id, url, feedUrl: reading.feedUrl, items: items.length }, 'source added');
  const stored = (await store.getSource(source.id)) ?? source;
  return { created: true, source: stored, itemCount: items.length };
}
