import { readChatSettings } from '../chat-settings.js';
import { maxDigestRows, type ChatKind, type DeliveryRecord, type DeliveryState, type DigestEntry, type OutboxStore } from '../store.js';
import { nowIso, type PostgresConnection, type Queryable, type Row } from './connection.js';

/** A row queued again (an edit): pending, or paused while its chat is paused. */
export const queuedAgainState = `CASE WHEN (SELECT c.paused_reason FROM chats c WHERE c.id = deliveries.chat_id) IS NULL THEN 'pending' ELSE 'paused' END`;

const idsOf = (ids: number | readonly number[]): number[] => (typeof ids === 'number' ? [ids] : [...ids]);

function toDigestEntry(row: Row): DigestEntry {
  return {
    itemId: Number(row.item_id),
    headline: String(row.headline),
    link: row.link == null ? null : String(row.link),
    sourceTitle: row.source_title == null ? null : String(row.source_title),
  };
}

/**
 * The due digest rows of one chat and topic, oldest first, locked for this claim. Another process
 * cannot be gathering them: it would first have to lock the chat's oldest digest row, which this
 * claim holds.
 */
async function dueDigestRows(client: Queryable, chatId: number, threadId: number | null, nowMs: number): Promise<Row[]> {
  const { rows } = await client.query<Row>(
    `SELECT d.id, d.item_id, i.headline, i.link, s.title AS source_title
     FROM deliveries d JOIN items i ON i.id = d.item_id JOIN sources s ON s.id = i.source_id
     WHERE d.chat_id = $1 AND d.digest AND d.state = 'pending' AND d.not_before <= $2 AND d.thread_id IS NOT DISTINCT FROM $3::bigint
     ORDER BY d.id LIMIT $4
     FOR UPDATE OF d SKIP LOCKED`,
    [chatId, nowMs, threadId, maxDigestRows],
  );
  return rows;
}

/** Who claims deliveries through this store, and for how long a claim holds without renewal. */
export interface DeliveryLease {
  ownerId: string;
  leaseMs: number;
}

export function createPostgresOutbox(connection: PostgresConnection, lease: DeliveryLease): OutboxStore {
  const { pool, transaction } = connection;

  const claim = (nowMs: number, limit: number, exclude: number[]): Promise<DeliveryRecord[]> =>
    transaction(async (client) => {
      // The oldest open row of each chat, posts and digest rows each in their own order, if due. SKIP
      // LOCKED: two processes claiming at once take different rows, never the same one twice (a row
      // another claim just took is `sending` when this one reads it again, and is left out).
      // Exactly `limit` rows are locked (LIMIT counts only rows it could lock), so processes claiming
      // at once share the due rows instead of one locking more than it takes; a chat with both a post
      // and a digest due sends the older now and the other at the next claim.
      const { rows: candidates } = await client.query<Row>(
        `SELECT d.id, d.item_id, d.chat_id, d.thread_id, d.attempts, d.digest, d.message_id, c.kind AS chat_kind, c.settings,
           i.headline, i.link, i.summary, i.image_url, s.title AS source_title
         FROM deliveries d JOIN chats c ON c.id = d.chat_id JOIN items i ON i.id = d.item_id JOIN sources s ON s.id = i.source_id
         WHERE d.state = 'pending' AND d.not_before <= $1 AND NOT (d.chat_id = ANY($3::bigint[])) AND c.next_turn_at <= $1
           AND d.id = (SELECT min(d2.id) FROM deliveries d2
                       WHERE d2.chat_id = d.chat_id AND d2.digest = d.digest AND d2.state IN ('pending', 'sending'))
         ORDER BY d.id LIMIT $2
         FOR UPDATE OF d SKIP LOCKED`,
        [nowMs, limit, exclude],
      );
      const claimed: DeliveryRecord[] = [];
      // One send per chat: a chat with both a post and a digest due gets the older now, the other next time.
      const taken = new Set<number>();
      for (const row of candidates) {
        if (claimed.length >= limit) break;
        const chatId = Number(row.chat_id);
        if (taken.has(chatId)) continue;
        taken.add(chatId);
        const threadId = row.thread_id == null ? null : Number(row.thread_id);
        const digest = row.digest === true;
        const digestRows = digest ? await dueDigestRows(client, chatId, threadId, nowMs) : [];
        claimed.push({
          id: Number(row.id),
          kind: digest ? 'digest' : 'post',
          rowIds: digest ? digestRows.map((entry) => Number(entry.id)) : [Number(row.id)],
          itemId: Number(row.item_id),
          chatId,
          chatKind: row.chat_kind as ChatKind,
          attempts: Number(row.attempts) + 1,
          headline: String(row.headline),
          link: row.link == null ? null : String(row.link),
          sourceTitle: row.source_title == null ? null : String(row.source_title),
          threadId,
          summary: row.summary == null ? null : String(row.summary),
          imageUrl: row.image_url == null ? null : String(row.image_url),
          settings: readChatSettings(row.settings),
          items: digestRows.map(toDigestEntry),
          editMessageId: !digest && row.message_id != null ? Number(row.message_id) : null,
        });
      }
      const rowIds = claimed.flatMap((record) => record.rowIds);
      if (rowIds.length > 0) {
        // A correction that arrives from now on (edit_wanted) is for the headline this send did not
        // read. The lease says which process sends it: another takes it over only once it expired.
        await client.query(
          `UPDATE deliveries SET state = 'sending', attempts = attempts + 1, edit_wanted = false, updated_at = $2,
             lease_owner = $3, lease_until = $4
           WHERE id = ANY($1::bigint[])`,
          [rowIds, nowIso(), lease.ownerId, nowMs + lease.leaseMs],
        );
      }
      return claimed;
    });

  return {
    async claimDueDeliveries({ now, limit, excludeChatIds = [] }) {
      if (limit <= 0) return [];
      return claim(now.getTime(), limit, excludeChatIds);
    },
    async markDeliverySent(ids, messageId) {
      // A row corrected while it was being sent (edit_wanted) goes back to the queue as an edit of the message.
      await pool.query(
        `UPDATE deliveries SET state = CASE WHEN NOT edit_wanted THEN 'sent' ELSE ${queuedAgainState} END,
           attempts = CASE WHEN NOT edit_wanted THEN attempts ELSE 0 END, edit_wanted = false,
           message_id = $2, last_error = NULL, updated_at = $3, lease_owner = NULL, lease_until = NULL
         WHERE id = ANY($1::bigint[])`,
        [idsOf(ids), messageId, nowIso()],
      );
    },
    async markDeliveryEdited(id, error) {
      await pool.query(
        `UPDATE deliveries SET state = CASE WHEN NOT edit_wanted THEN 'sent' ELSE ${queuedAgainState} END,
           attempts = CASE WHEN NOT edit_wanted THEN attempts ELSE 0 END, edit_wanted = false,
           last_error = $2, updated_at = $3, lease_owner = NULL, lease_until = NULL
         WHERE id = $1 AND message_id IS NOT NULL`,
        [id, error, nowIso()],
      );
    },
    async markDeliveryRetry(ids, notBefore, error) {
      await pool.query(
        `UPDATE deliveries SET state = 'pending', not_before = $2, last_error = $3, updated_at = $4, lease_owner = NULL, lease_until = NULL
         WHERE id = ANY($1::bigint[]) AND state = 'sending'`,
        [idsOf(ids), notBefore.getTime(), error, nowIso()],
      );
    },
    async markDeliveryFailed(ids, error) {
      await pool.query(`UPDATE deliveries SET state = 'failed', last_error = $2, updated_at = $3, lease_owner = NULL, lease_until = NULL WHERE id = ANY($1::bigint[])`, [
        idsOf(ids),
        error,
        nowIso(),
      ]);
    },
    async countRecentPosts(chatIds, since) {
      const counts = new Map<number, number>();
      if (chatIds.length === 0) return counts;
      const { rows } = await pool.query<Row>(
        `SELECT chat_id, count(*) AS n FROM deliveries
         WHERE chat_id = ANY($1::bigint[]) AND NOT digest AND created_at >= $2 GROUP BY chat_id`,
        [[...chatIds], since.toISOString()],
      );
      for (const row of rows) counts.set(Number(row.chat_id), Number(row.n));
      return counts;
    },
    async requeueInterruptedDeliveries() {
      // Never another live process's send: only rows whose lease expired (or this store's own).
      const result = await pool.query(
        `UPDATE deliveries SET state = 'pending', updated_at = $1, lease_owner = NULL, lease_until = NULL
         WHERE state = 'sending' AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until <= $3)`,
        [nowIso(), lease.ownerId, Date.now()],
      );
      return result.rowCount ?? 0;
    },
    async countDeliveries() {
      const counts: Record<DeliveryState, number> = { pending: 0, sending: 0, sent: 0, failed: 0, paused: 0 };
      const { rows } = await pool.query<Row>(`SELECT state, count(*) AS n FROM deliveries GROUP BY state`);
      for (const row of rows) counts[row.state as DeliveryState] = Number(row.n);
      return counts;
    },
    async oldestWaitingDeliveryAt() {
      // An edit waits since it was queued again, not since its post was first queued.
      const { rows } = await pool.query<Row>(
        `SELECT min(CASE WHEN message_id IS NULL THEN created_at ELSE updated_at END) AS t FROM deliveries WHERE state IN ('pending', 'sending')`,
      );
      return rows[0]?.t == null ? null : new Date(String(rows[0].t));
    },
    async nextDeliveryDueAt() {
      const { rows } = await pool.query<Row>(`SELECT min(not_before) AS t FROM deliveries WHERE state = 'pending'`);
      return rows[0]?.t == null ? null : new Date(Number(rows[0].t));
    },
  };
}
