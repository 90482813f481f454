import type Database from 'better-sqlite3';
import { readChatSettings } from '../chat-settings.js';
import { maxDigestRows, type ChatKind, type DeliveryRecord, type DeliveryState, type DigestEntry, type OutboxStore } from '../store.js';
import { nowIso, type Row } from './connection.js';

/** A row queued again (an edit): pending, or paused while its chat is paused. */
export const queuedAgainState = `WHEN (SELECT c.paused_reason FROM chats c WHERE c.id = deliveries.chat_id) IS NULL THEN 'pending' ELSE 'paused'`;

export function createSqliteOutbox(db: Database.Database): OutboxStore {
  const stmt = {
    // The oldest open row of each chat, posts and digest rows each in their own order.
    claimCandidates: db.prepare(`
      SELECT d.id FROM deliveries d
      WHERE d.state = 'pending' AND d.not_before <= @now
        AND d.id = (SELECT min(d2.id) FROM deliveries d2
                    WHERE d2.chat_id = d.chat_id AND d2.digest = d.digest AND d2.state IN ('pending', 'sending'))
      ORDER BY d.id LIMIT @limit`),
    // A correction that arrives from now on (edit_wanted) is for the headline this send did not read.
    markSending: db.prepare(`UPDATE deliveries SET state = 'sending', attempts = attempts + 1, edit_wanted = 0, updated_at = ? WHERE id = ?`),
    deliveryById: db.prepare(`
      SELECT d.id, d.item_id, d.chat_id, d.thread_id, d.attempts, d.digest, d.message_id, c.kind AS chat_kind, c.settings,
        i.headline, i.link, i.summary, i.image_url, s.title AS source_title
      FROM deliveries d JOIN chats c ON c.id = d.chat_id JOIN items i ON i.id = d.item_id JOIN sources s ON s.id = i.source_id
      WHERE d.id = ?`),
    dueDigestRows: db.prepare(`
      SELECT d.id, d.item_id, i.headline, i.link, s.title AS source_title
      FROM deliveries d JOIN items i ON i.id = d.item_id JOIN sources s ON s.id = i.source_id
      WHERE d.chat_id = @chatId AND d.digest = 1 AND d.state = 'pending' AND d.not_before <= @now AND d.thread_id IS @threadId
      ORDER BY d.id LIMIT @limit`),
    recentPosts: db.prepare(`
      SELECT chat_id, count(*) AS n FROM deliveries
      WHERE chat_id IN (SELECT value FROM json_each(@chatIds)) AND digest = 0 AND created_at >= @since
      GROUP BY chat_id`),
    // A row corrected while it was being sent (edit_wanted) goes back to the queue as an edit of the message.
    markSent: db.prepare(`
      UPDATE deliveries SET state = CASE WHEN edit_wanted = 0 THEN 'sent' ${queuedAgainState} END,
        attempts = CASE WHEN edit_wanted = 0 THEN attempts ELSE 0 END, edit_wanted = 0,
        message_id = ?, last_error = NULL, updated_at = ? WHERE id = ?`),
    markEdited: db.prepare(`
      UPDATE deliveries SET state = CASE WHEN edit_wanted = 0 THEN 'sent' ${queuedAgainState} END,
        attempts = CASE WHEN edit_wanted = 0 THEN attempts ELSE 0 END, edit_wanted = 0,
        last_error = ?, updated_at = ? WHERE id = ? AND message_id IS NOT NULL`),
    markRetry: db.prepare(`
      UPDATE deliveries SET state = 'pending', not_before = ?, last_error = ?, updated_at = ? WHERE id = ? AND state = 'sending'`),
    markFailed: db.prepare(`UPDATE deliveries SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?`),
    requeue: db.prepare(`UPDATE deliveries SET state = 'pending', updated_at = ? WHERE state = 'sending'`),
    countByState: db.prepare(`SELECT state, count(*) AS n FROM deliveries GROUP BY state`),
    // An edit waits since it was queued again, not since its post was first queued.
    oldestWaiting: db.prepare(`
      SELECT min(CASE WHEN message_id IS NULL THEN created_at ELSE updated_at END) AS t
      FROM deliveries WHERE state IN ('pending', 'sending')`),
    nextDue: db.prepare(`SELECT min(not_before) AS t FROM deliveries WHERE state = 'pending'`),
  };

  const claim = db.transaction((nowMs: number, limit: number, exclude: Set<number>): DeliveryRecord[] => {
    const at = nowIso();
    const claimed: DeliveryRecord[] = [];
    // One send per chat: a chat with both a post and a digest due gets the older now, the other next time.
    const taken = new Set(exclude);
    // Over-fetch a little so excluded (rate-limited) chats do not starve the others.
    const candidates = stmt.claimCandidates.all({ now: nowMs, limit: 2 * limit + exclude.size }) as Row[];
    for (const candidate of candidates) {
      if (claimed.length >= limit) break;
      const row = stmt.deliveryById.get(candidate.id) as Row;
      const chatId = Number(row.chat_id);
      if (taken.has(chatId)) continue;
      taken.add(chatId);
      const threadId = row.thread_id == null ? null : Number(row.thread_id);
      const digest = Number(row.digest) === 1;
      const digestRows = digest ? (stmt.dueDigestRows.all({ chatId, now: nowMs, threadId, limit: maxDigestRows }) as Row[]) : [];
      const rowIds = digest ? digestRows.map((entry) => Number(entry.id)) : [Number(row.id)];
      for (const id of rowIds) stmt.markSending.run(at, id);
      claimed.push({
        id: Number(row.id),
        kind: digest ? 'digest' : 'post',
        rowIds,
        itemId: Number(row.item_id),
        chatId,
        chatKind: row.chat_kind as ChatKind,
        attempts: Number(row.attempts) + 1,
        headline: String(row.headline),
        link: (row.link as string | null) ?? null,
        sourceTitle: (row.source_title as string | null) ?? null,
        threadId,
        summary: (row.summary as string | null) ?? null,
        imageUrl: (row.image_url as string | null) ?? null,
        settings: readChatSettings(row.settings),
        items: digestRows.map(toDigestEntry),
        editMessageId: !digest && row.message_id != null ? Number(row.message_id) : null,
      });
    }
    return claimed;
  });

  const idsOf = (ids: number | readonly number[]): readonly number[] => (typeof ids === 'number' ? [ids] : ids);
  const markSent = db.transaction((ids: readonly number[], messageId: number) => {
    const at = nowIso();
    for (const id of ids) stmt.markSent.run(messageId, at, id);
  });
  const markRetry = db.transaction((ids: readonly number[], notBefore: number, error: string) => {
    const at = nowIso();
    for (const id of ids) stmt.markRetry.run(notBefore, error, at, id);
  });
  const markFailed = db.transaction((ids: readonly number[], error: string) => {
    const at = nowIso();
    for (const id of ids) stmt.markFailed.run(error, at, id);
  });

  return {
    async claimDueDeliveries({ now: at, limit, excludeChatIds = [] }) {
      return claim(at.getTime(), limit, new Set(excludeChatIds));
    },
    async markDeliverySent(ids, messageId) {
      markSent(idsOf(ids), messageId);
    },
    async markDeliveryRetry(ids, notBefore, error) {
      markRetry(idsOf(ids), notBefore.getTime(), error);
    },
    async markDeliveryFailed(ids, error) {
      markFailed(idsOf(ids), error);
    },
    async markDeliveryEdited(id, error) {
      stmt.markEdited.run(error, nowIso(), id);
    },
    async countRecentPosts(chatIds, since) {
      const counts = new Map<number, number>();
      // json_each keeps it one statement whatever the count; chunks bound the JSON text.
      for (let start = 0; start < chatIds.length; start += 1000) {
        const chunk = JSON.stringify(chatIds.slice(start, start + 1000));
        for (const row of stmt.recentPosts.all({ chatIds: chunk, since: since.toISOString() }) as Row[]) {
          counts.set(Number(row.chat_id), Number(row.n));
        }
      }
      return counts;
    },
    async requeueInterruptedDeliveries() {
      return stmt.requeue.run(nowIso()).changes;
    },
    async countDeliveries() {
      const counts: Record<DeliveryState, number> = { pending: 0, sending: 0, sent: 0, failed: 0, paused: 0 };
      for (const row of stmt.countByState.all() as Row[]) counts[row.state as DeliveryState] = Number(row.n);
      return counts;
    },
    async oldestWaitingDeliveryAt() {
      const row = stmt.oldestWaiting.get() as Row | undefined;
      return row?.t == null ? null : new Date(String(row.t));
    },
    async nextDeliveryDueAt() {
      const row = stmt.nextDue.get() as Row | undefined;
      return row?.t == null ? null : new Date(Number(row.t));
    },
  };
}

function toDigestEntry(row: Row): DigestEntry {
  return {
    itemId: Number(row.item_id),
    headline: String(row.headline),
    link: (row.link as string | null) ?? null,
    sourceTitle: (row.source_title as string | null) ?? null,
  };
}
