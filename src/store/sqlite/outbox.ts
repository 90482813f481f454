import type Database from 'better-sqlite3';
import type { ChatKind, DeliveryRecord, DeliveryState, OutboxStore } from '../store.js';
import { nowIso, type Row } from './connection.js';

export function createSqliteOutbox(db: Database.Database): OutboxStore {
  const stmt = {
    claimCandidates: db.prepare(`
      SELECT d.id FROM deliveries d
      WHERE d.state = 'pending' AND d.not_before <= @now
        AND d.id = (SELECT min(d2.id) FROM deliveries d2 WHERE d2.chat_id = d.chat_id AND d2.state IN ('pending', 'sending'))
      ORDER BY d.id LIMIT @limit`),
    markSending: db.prepare(`UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ?`),
    deliveryById: db.prepare(`
      SELECT d.id, d.item_id, d.chat_id, d.thread_id, d.attempts, c.kind AS chat_kind, i.headline, i.link, s.title AS source_title
      FROM deliveries d JOIN chats c ON c.id = d.chat_id JOIN items i ON i.id = d.item_id JOIN sources s ON s.id = i.source_id
      WHERE d.id = ?`),
    markSent: db.prepare(`UPDATE deliveries SET state = 'sent', message_id = ?, last_error = NULL, updated_at = ? WHERE id = ?`),
    markRetry: db.prepare(`
      UPDATE deliveries SET state = 'pending', not_before = ?, last_error = ?, updated_at = ? WHERE id = ? AND state = 'sending'`),
    markFailed: db.prepare(`UPDATE deliveries SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?`),
    requeue: db.prepare(`UPDATE deliveries SET state = 'pending', updated_at = ? WHERE state = 'sending'`),
    countByState: db.prepare(`SELECT state, count(*) AS n FROM deliveries GROUP BY state`),
    oldestWaiting: db.prepare(`SELECT min(created_at) AS t FROM deliveries WHERE state IN ('pending', 'sending')`),
    nextDue: db.prepare(`SELECT min(not_before) AS t FROM deliveries WHERE state = 'pending'`),
  };

  const claim = db.transaction((nowMs: number, limit: number, exclude: Set<number>): DeliveryRecord[] => {
    const at = nowIso();
    const claimed: DeliveryRecord[] = [];
    // Over-fetch a little so excluded (rate-limited) chats do not starve the others.
    const candidates = stmt.claimCandidates.all({ now: nowMs, limit: limit + exclude.size }) as Row[];
    for (const candidate of candidates) {
      if (claimed.length >= limit) break;
      const row = stmt.deliveryById.get(candidate.id) as Row;
      if (exclude.has(Number(row.chat_id))) continue;
      stmt.markSending.run(at, candidate.id);
      claimed.push({
        id: Number(row.id),
        itemId: Number(row.item_id),
        chatId: Number(row.chat_id),
        chatKind: row.chat_kind as ChatKind,
        attempts: Number(row.attempts) + 1,
        headline: String(row.headline),
        link: (row.link as string | null) ?? null,
        sourceTitle: (row.source_title as string | null) ?? null,
        threadId: row.thread_id == null ? null : Number(row.thread_id),
      });
    }
    return claimed;
  });

  return {
    async claimDueDeliveries({ now: at, limit, excludeChatIds = [] }) {
      return claim(at.getTime(), limit, new Set(excludeChatIds));
    },
    async markDeliverySent(id, messageId) {
      stmt.markSent.run(messageId, nowIso(), id);
    },
    async markDeliveryRetry(id, notBefore, error) {
      stmt.markRetry.run(notBefore.getTime(), error, nowIso(), id);
    },
    async markDeliveryFailed(id, error) {
      stmt.markFailed.run(error, nowIso(), id);
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
