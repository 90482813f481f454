import type { FeedEntry } from '../sources/types.js';
import type { KnownItem } from '../store/store.js';
import type { PipelineDeps } from './ports.js';
import { titleHash } from './to-new-item.js';

/** A source may correct a headline this long after nashra first saw the item; later changes are ignored. */
export const correctionWindowMs = 24 * 60 * 60_000;

/** A known entry whose title the source changed: the stored item to correct. */
export interface CorrectedEntry {
  entry: FeedEntry;
  itemId: number;
}

/**
 * The entries of a poll that correct an item's headline (issue 13 §4): the key is known, the item was
 * first seen less than `correctionWindowMs` before `now`, and the raw title's hash differs from the
 * stored one. An item stored before titles were hashed, or an entry without a title, is never a
 * correction (there is nothing to compare). Only items inside the window are hashed, so a poll of a
 * large feed hashes the last day's entries, not all of them.
 */
export function findCorrectedEntries(entries: readonly FeedEntry[], known: ReadonlyMap<string, KnownItem>, now: Date): CorrectedEntry[] {
  const since = now.getTime() - correctionWindowMs;
  const corrected: CorrectedEntry[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const item = known.get(entry.key);
    // A feed listing one key twice corrects it at most once.
    if (!item || item.titleHash === null || item.firstSeenAt.getTime() <= since || seen.has(entry.key)) continue;
    seen.add(entry.key);
    const hash = titleHash(entry.title);
    if (hash !== null && hash !== item.titleHash) corrected.push({ entry, itemId: item.id });
  }
  return corrected;
}

/**
 * Makes the corrected entries' items again (the same worker-pool task as new items) and has the store
 * replace each one's headline, summary, text and index entry, and queue an edit of each post already
 * sent. Returns how many items were corrected and how many edits were queued.
 */
export async function correctHeadlines(
  deps: Pick<PipelineDeps, 'store' | 'cpu' | 'logger'>,
  corrected: readonly CorrectedEntry[],
  options: { signatures: string[]; pages?: Record<string, string> },
): Promise<{ items: number; edits: number }> {
  if (corrected.length === 0) return { items: 0, edits: 0 };
  const made = await deps.cpu.makeItems({ entries: corrected.map(({ entry }) => entry), signatures: options.signatures, pages: options.pages });
  const itemIds = new Map(corrected.map(({ entry, itemId }) => [entry.key, itemId]));
  let items = 0;
  let edits = 0;
  for (const item of made) {
    const itemId = itemIds.get(item.key);
    if (itemId === undefined) continue;
    const result = await deps.store.correctItem(itemId, {
      headline: item.headline,
      searchTitle: item.searchTitle,
      searchBody: item.searchBody,
      titleHash: item.titleHash ?? null,
      summary: item.summary ?? null,
      ...(item.bodyText === undefined ? {} : { bodyText: item.bodyText, textVersion: item.textVersion }),
    });
    if (!result.found) continue;
    items += 1;
    edits += result.edits;
    deps.logger.info({ itemId, edits: result.edits }, 'headline corrected by the source');
  }
  return { items, edits };
}
