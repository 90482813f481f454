import type { CorrectItemResult, ItemCorrection, ItemStore, ItemToRecord, KnownItem, RecordItemsResult } from '../store.js';
import { nowIso, type PostgresConnection, type Row } from './connection.js';
import { queuedAgainState } from './outbox.js';
import { toItem, toSignatures } from './rows.js';
import type { PostgresSearchIndex } from './search.js';

/** Keys per statement when asking which are known: bounds one message, whatever a feed holds. */
const keysPerQuery = 5000;

export function createPostgresItems(connection: PostgresConnection, index: PostgresSearchIndex): ItemStore {
  const { pool, transaction } = connection;

  const recordItems = (sourceId: number, items: readonly ItemToRecord[]): Promise<RecordItemsResult> =>
    transaction(async (client) => {
      if (items.length === 0) return { newItemIds: [], queuedDeliveries: 0 };
      const at = nowIso();
      // One statement for the batch, in the feed's order, so ids follow it. A key already stored (or
      // twice in the batch) is left as it is, and takes no id: ids have no gaps, as in SQLite.
      const { rows } = await client.query<Row>(
        `INSERT INTO items (source_id, key, headline, link, published_at, first_seen_at, body_text, text_version,
           summary, image_url, title_hash)
         SELECT $1, n.key, n.headline, n.link, n.published_at, $2, n.body_text, n.text_version, n.summary, n.image_url, n.title_hash
         FROM (
           SELECT DISTINCT ON (u.key) u.*
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::integer[], $9::text[], $10::text[], $11::text[])
             WITH ORDINALITY AS u (key, headline, link, published_at, body_text, text_version, summary, image_url, title_hash, ord)
           ORDER BY u.key, u.ord
         ) n
         WHERE NOT EXISTS (SELECT 1 FROM items known WHERE known.source_id = $1 AND known.key = n.key)
         ORDER BY n.ord
         ON CONFLICT (source_id, key) DO NOTHING
         RETURNING id, key`,
        [
          sourceId,
          at,
          items.map((item) => item.key),
          items.map((item) => item.headline),
          items.map((item) => item.link),
          items.map((item) => item.publishedAt),
          items.map((item) => item.bodyText ?? null),
          items.map((item) => item.textVersion ?? 0),
          items.map((item) => item.summary ?? null),
          items.map((item) => item.imageUrl ?? null),
          items.map((item) => item.titleHash ?? null),
        ],
      );
      const idByKey = new Map(rows.map((row) => [String(row.key), Number(row.id)]));
      const fresh: Array<{ id: number; item: ItemToRecord }> = [];
      for (const item of items) {
        const id = idByKey.get(item.key);
        if (id === undefined) continue;
        idByKey.delete(item.key);
        fresh.push({ id, item });
      }
      fresh.sort((a, b) => a.id - b.id);
      const newItemIds = fresh.map(({ id }) => id);
      if (newItemIds.length === 0) return { newItemIds, queuedDeliveries: 0 };

      await index.addEntries(client, fresh.map(({ id, item }) => ({ id, title: item.searchTitle, body: item.searchBody })));
      const planned = fresh.flatMap(({ id, item }) => (item.deliveries ?? []).map((delivery) => ({ id, delivery })));
      let queuedDeliveries = 0;
      if (planned.length > 0) {
        // The pipeline decided who gets each item; a chat removed (or paused) since it looked gets
        // nothing, and a second row for the same (item, chat) is skipped.
        const result = await client.query(
          `INSERT INTO deliveries (item_id, chat_id, thread_id, state, not_before, digest, created_at, updated_at)
           SELECT p.item_id, c.id, p.thread_id, 'pending', p.not_before, p.digest, $6, $6
           FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::boolean[])
             WITH ORDINALITY AS p (item_id, chat_id, thread_id, not_before, digest, ord)
           JOIN chats c ON c.id = p.chat_id AND c.paused_reason IS NULL
           ORDER BY p.ord
           ON CONFLICT (item_id, chat_id) DO NOTHING`,
          [
            planned.map(({ id }) => id),
            planned.map(({ delivery }) => delivery.chatId),
            planned.map(({ delivery }) => delivery.threadId),
            planned.map(({ delivery }) => delivery.notBefore.getTime()),
            planned.map(({ delivery }) => delivery.digest),
            at,
          ],
        );
        queuedDeliveries = result.rowCount ?? 0;
      }
      await client.query(`UPDATE sources SET item_count = item_count + $1 WHERE id = $2`, [newItemIds.length, sourceId]);
      return { newItemIds, queuedDeliveries };
    });

  const correctItem = (itemId: number, correction: ItemCorrection): Promise<CorrectItemResult> =>
    transaction(async (client) => {
      const { rows: before } = await client.query<Row>(`SELECT headline, summary FROM items WHERE id = $1 FOR UPDATE`, [itemId]);
      if (!before[0]) return { found: false, edits: 0 };
      await client.query(
        `UPDATE items SET headline = $2, title_hash = $3,
           summary = CASE WHEN $4::boolean THEN $5::text ELSE summary END,
           body_text = CASE WHEN $6::boolean THEN $7::text ELSE body_text END,
           text_version = CASE WHEN $6::boolean THEN $8::integer ELSE text_version END
         WHERE id = $1`,
        [
          itemId,
          correction.headline,
          correction.titleHash,
          correction.summary !== undefined,
          correction.summary ?? null,
          correction.bodyText !== undefined,
          correction.bodyText ?? null,
          correction.textVersion ?? 0,
        ],
      );
      await index.addEntries(client, [{ id: itemId, title: correction.searchTitle, body: correction.searchBody }]);
      // A new title that makes the same post (markup or spacing changed) edits nothing.
      const shownChanged =
        before[0].headline !== correction.headline || (correction.summary !== undefined && (before[0].summary ?? null) !== correction.summary);
      if (!shownChanged) return { found: true, edits: 0 };
      // A post that is its own message (not a digest's line) and was sent is edited; one being sent now, after it.
      const edits = await client.query(
        `UPDATE deliveries SET state = ${queuedAgainState}, not_before = $2, attempts = 0, last_error = NULL, updated_at = $3
         WHERE item_id = $1 AND NOT digest AND state = 'sent' AND message_id IS NOT NULL`,
        [itemId, Date.now(), nowIso()],
      );
      await client.query(`UPDATE deliveries SET edit_wanted = true WHERE item_id = $1 AND NOT digest AND state = 'sending'`, [itemId]);
      return { found: true, edits: edits.rowCount ?? 0 };
    });

  return {
    async recordItems(sourceId, items) {
      return recordItems(sourceId, items);
    },
    async findKnownItemKeys(sourceId, keys) {
      const known = new Set<string>();
      for (let start = 0; start < keys.length; start += keysPerQuery) {
        const { rows } = await pool.query<Row>(`SELECT key FROM items WHERE source_id = $1 AND key = ANY($2::text[])`, [
          sourceId,
          keys.slice(start, start + keysPerQuery),
        ]);
        for (const row of rows) known.add(String(row.key));
      }
      return known;
    },
    async findKnownItems(sourceId, keys) {
      const known = new Map<string, KnownItem>();
      for (let start = 0; start < keys.length; start += keysPerQuery) {
        const { rows } = await pool.query<Row>(
          `SELECT key, id, title_hash, first_seen_at FROM items WHERE source_id = $1 AND key = ANY($2::text[])`,
          [sourceId, keys.slice(start, start + keysPerQuery)],
        );
        for (const row of rows) {
          known.set(String(row.key), {
            id: Number(row.id),
            titleHash: row.title_hash == null ? null : String(row.title_hash),
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
      const { rows } = await pool.query<Row>(
        `SELECT i.*, s.title AS source_title FROM items i JOIN sources s ON s.id = i.source_id
         ORDER BY coalesce(i.published_at, i.first_seen_at) DESC, i.id DESC LIMIT $1`,
        [limit],
      );
      return rows.map(toItem);
    },
    async recentBodyTexts(sourceId, limit) {
      const { rows } = await pool.query<Row>(
        `SELECT body_text FROM items WHERE source_id = $1 AND body_text IS NOT NULL AND body_text <> '' ORDER BY id DESC LIMIT $2`,
        [sourceId, limit],
      );
      return rows.map((row) => String(row.body_text));
    },
    async getSourceSignatures(sourceId) {
      const { rows } = await pool.query<Row>(`SELECT signatures FROM sources WHERE id = $1`, [sourceId]);
      return toSignatures(rows[0]?.signatures);
    },
    async setSourceSignatures(sourceId, lines) {
      await pool.query(`UPDATE sources SET signatures = $2::jsonb WHERE id = $1`, [sourceId, JSON.stringify(lines)]);
    },
  };
}
