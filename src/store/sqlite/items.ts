import type Database from 'better-sqlite3';
import type { CorrectItemResult, ItemCorrection, ItemStore, ItemToRecord, KnownItem, RecordItemsResult } from '../store.js';
import { nowIso, type Row } from './connection.js';
import { queuedAgainState } from './outbox.js';
import { parseSignatures, toItem } from './rows.js';
import type { SqliteSearchIndex } from './search-index.js';

export function createSqliteItems(db: Database.Database, index: SqliteSearchIndex): ItemStore {
  const itemSelect = `
    SELECT i.*, s.title AS source_title FROM items i JOIN sources s ON s.id = i.source_id`;
  const stmt = {
    knownKeys: db.prepare(`SELECT key FROM items WHERE source_id = ? AND key IN (SELECT value FROM json_each(?))`),
    knownItems: db.prepare(`
      SELECT key, id, title_hash, first_seen_at FROM items WHERE source_id = ? AND key IN (SELECT value FROM json_each(?))`),
    shownText: db.prepare(`SELECT headline, summary FROM items WHERE id = ?`),
    correctItem: db.prepare(`
      UPDATE items SET headline = @headline, title_hash = @titleHash,
        summary = CASE WHEN @setSummary = 1 THEN @summary ELSE summary END,
        body_text = CASE WHEN @setBody = 1 THEN @bodyText ELSE body_text END,
        text_version = CASE WHEN @setBody = 1 THEN @textVersion ELSE text_version END
      WHERE id = @id`),
    // A post that is its own message (not a digest's line) and was sent is edited; one being sent now, after it.
    queueEdits: db.prepare(`
      UPDATE deliveries SET state = CASE ${queuedAgainState} END, not_before = @now, attempts = 0, last_error = NULL, updated_at = @at
      WHERE item_id = @itemId AND digest = 0 AND state = 'sent' AND message_id IS NOT NULL`),
    editAfterSend: db.prepare(`UPDATE deliveries SET edit_wanted = 1 WHERE item_id = ? AND digest = 0 AND state = 'sending'`),
    addItemCount: db.prepare(`UPDATE sources SET item_count = item_count + ? WHERE id = ?`),
    insertItem: db.prepare(`
      INSERT INTO items (source_id, key, headline, link, published_at, first_seen_at, body_text, text_version,
        summary, image_url, title_hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, key) DO NOTHING`),
    // The pipeline decided who gets the item; a chat removed (or paused) since it looked gets nothing.
    queueDelivery: db.prepare(`
      INSERT INTO deliveries (item_id, chat_id, thread_id, state, not_before, digest, created_at, updated_at)
      SELECT @itemId, c.id, @threadId, 'pending', @notBefore, @digest, @at, @at
      FROM chats c WHERE c.id = @chatId AND c.paused_reason IS NULL
      ON CONFLICT (item_id, chat_id) DO NOTHING`),
    latest: db.prepare(`${itemSelect} ORDER BY coalesce(i.published_at, i.first_seen_at) DESC, i.id DESC LIMIT ?`),
    recentBodies: db.prepare(`
      SELECT body_text FROM items WHERE source_id = ? AND body_text IS NOT NULL AND body_text <> '' ORDER BY id DESC LIMIT ?`),
    setSignatures: db.prepare(`UPDATE sources SET signatures = ? WHERE id = ?`),
    signatures: db.prepare(`SELECT signatures FROM sources WHERE id = ?`),
  };

  const recordItems = index.keepingLayout(
    db.transaction((sourceId: number, items: readonly ItemToRecord[]): RecordItemsResult => {
      const at = nowIso();
      const newItemIds: number[] = [];
      let queuedDeliveries = 0;
      for (const item of items) {
        const info = stmt.insertItem.run(
          sourceId, item.key, item.headline, item.link, item.publishedAt, at, item.bodyText ?? null, item.textVersion ?? 0,
          item.summary ?? null, item.imageUrl ?? null, item.titleHash ?? null,
        );
        if (info.changes === 0) continue;
        const itemId = Number(info.lastInsertRowid);
        newItemIds.push(itemId);
        index.addEntry(itemId, item.searchTitle, item.searchBody);
        for (const delivery of item.deliveries ?? []) {
          queuedDeliveries += stmt.queueDelivery.run({
            itemId,
            chatId: delivery.chatId,
            threadId: delivery.threadId,
            notBefore: delivery.notBefore.getTime(),
            digest: delivery.digest ? 1 : 0,
            at,
          }).changes;
        }
      }
      if (newItemIds.length > 0) stmt.addItemCount.run(newItemIds.length, sourceId);
      return { newItemIds, queuedDeliveries };
    }),
  );

  const correctItem = index.keepingLayout(
    db.transaction((itemId: number, correction: ItemCorrection): CorrectItemResult => {
      const before = stmt.shownText.get(itemId) as Row | undefined;
      if (!before) return { found: false, edits: 0 };
      stmt.correctItem.run({
        id: itemId,
        headline: correction.headline,
        titleHash: correction.titleHash,
        setSummary: correction.summary === undefined ? 0 : 1,
        summary: correction.summary ?? null,
        setBody: correction.bodyText === undefined ? 0 : 1,
        bodyText: correction.bodyText ?? null,
        textVersion: correction.textVersion ?? 0,
      });
      index.removeEntry(itemId);
      index.addEntry(itemId, correction.searchTitle, correction.searchBody);
      // A new title that makes the same post (markup or spacing changed) edits nothing.
      const shownChanged =
        before.headline !== correction.headline || (correction.summary !== undefined && (before.summary ?? null) !== correction.summary);
      if (!shownChanged) return { found: true, edits: 0 };
      const edits = stmt.queueEdits.run({ itemId, now: Date.now(), at: nowIso() }).changes;
      stmt.editAfterSend.run(itemId);
      return { found: true, edits };
    }),
  );

  return {
    async recordItems(sourceId, items) {
      return recordItems(sourceId, items);
    },
    async findKnownItemKeys(sourceId, keys) {
      const known = new Set<string>();
      // json_each keeps it one statement whatever the count; chunks bound the JSON text.
      for (let start = 0; start < keys.length; start += 1000) {
        const chunk = JSON.stringify(keys.slice(start, start + 1000));
        for (const row of stmt.knownKeys.all(sourceId, chunk) as Row[]) known.add(String(row.key));
      }
      return known;
    },
    async findKnownItems(sourceId, keys) {
      const known = new Map<string, KnownItem>();
      for (let start = 0; start < keys.length; start += 1000) {
        const chunk = JSON.stringify(keys.slice(start, start + 1000));
        for (const row of stmt.knownItems.all(sourceId, chunk) as Row[]) {
          known.set(String(row.key), {
            id: Number(row.id),
            titleHash: (row.title_hash as string | null) ?? null,
            firstSeenAt: new Date(String(row.first_seen_at)),
          });
        }
      }
      return known;
    },
    async correctItem(itemId, correction) {
      return correctItem(itemId, correction);
    },
    async latestItems(limit) {
      return (stmt.latest.all(limit) as Row[]).map(toItem);
    },
    async recentBodyTexts(sourceId, limit) {
      return (stmt.recentBodies.all(sourceId, limit) as Row[]).map((row) => String(row.body_text));
    },
    async getSourceSignatures(sourceId) {
      return parseSignatures((stmt.signatures.get(sourceId) as Row | undefined)?.signatures);
    },
    async setSourceSignatures(sourceId, lines) {
      stmt.setSignatures.run(JSON.stringify(lines), sourceId);
    },
  };
}
