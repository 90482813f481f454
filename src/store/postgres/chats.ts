import { applyChatSettings, readChatSettings } from '../chat-settings.js';
import { defaultChatSettings, type ChatStore, type InputList, type SubscriptionRecord } from '../store.js';
import { nowIso, type PostgresConnection, type Queryable, type Row } from './connection.js';
import { toChat, toSubscription } from './rows.js';

const subscriptionsOfChat = `
  SELECT sub.*, s.title AS source_title, c.paused_reason AS chat_paused_reason
  FROM subscriptions sub JOIN chats c ON c.id = sub.chat_id LEFT JOIN sources s ON s.id = sub.source_id
  WHERE sub.chat_id = $1 ORDER BY sub.source_id IS NOT NULL, sub.source_id`;

async function listSubscriptions(db: Queryable, chatId: number): Promise<SubscriptionRecord[]> {
  return (await db.query<Row>(subscriptionsOfChat, [chatId])).rows.map(toSubscription);
}

/** Posts to a chat again: its paused posts are queued again, none lost. */
async function resumeChat(db: Queryable, chatId: number, at: string): Promise<void> {
  await db.query(`UPDATE chats SET paused_reason = NULL WHERE id = $1`, [chatId]);
  await db.query(`UPDATE deliveries SET state = 'pending', updated_at = $2 WHERE chat_id = $1 AND state = 'paused'`, [chatId, at]);
}

/** Adds subscriptions (within the caller's transaction); returns those that were not there yet. */
async function addSubscriptions(
  db: Queryable,
  chatId: number,
  sourceIds: number[] | 'all',
  subscribedBy: number | null,
  threadId: number | null,
  at: string,
): Promise<Array<number | null>> {
  const added: Array<number | null> = [];
  for (const sourceId of sourceIds === 'all' ? [null] : sourceIds) {
    const inserted = await db.query(
      `INSERT INTO subscriptions (chat_id, source_id, subscribed_by, created_at, thread_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [chatId, sourceId, subscribedBy, at, threadId],
    );
    if ((inserted.rowCount ?? 0) > 0) added.push(sourceId);
    // Subscribing again from another topic is how an admin moves the posts there.
    else {
      await db.query(`UPDATE subscriptions SET thread_id = $1 WHERE chat_id = $2 AND source_id IS NOT DISTINCT FROM $3::bigint`, [
        threadId,
        chatId,
        sourceId,
      ]);
    }
  }
  return added;
}

/** Removes subscriptions (within the caller's transaction, if any); returns how many there were. */
async function removeSubscriptions(db: Queryable, chatId: number, sourceIds: number[] | 'all'): Promise<number> {
  if (sourceIds === 'all') return (await db.query(`DELETE FROM subscriptions WHERE chat_id = $1`, [chatId])).rowCount ?? 0;
  if (sourceIds.length === 0) return 0;
  const result = await db.query(`DELETE FROM subscriptions WHERE chat_id = $1 AND source_id = ANY($2::bigint[])`, [chatId, sourceIds]);
  return result.rowCount ?? 0;
}

export function createPostgresChats(connection: PostgresConnection): ChatStore {
  const { pool, transaction } = connection;

  return {
    async upsertChat(chat) {
      await pool.query(
        `INSERT INTO chats (id, kind, title, username, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title, username = excluded.username,
           updated_at = excluded.updated_at`,
        [chat.id, chat.kind, chat.title, chat.username, nowIso()],
      );
    },
    async getChat(id) {
      const { rows } = await pool.query<Row>(`SELECT * FROM chats WHERE id = $1`, [id]);
      return rows[0] ? toChat(rows[0]) : null;
    },
    async subscribe(chatId, sourceIds, subscribedBy, options = {}) {
      const threadId = options.threadId ?? null;
      return transaction(async (client) => {
        const at = nowIso();
        const added = await addSubscriptions(client, chatId, sourceIds, subscribedBy, threadId, at);
        // Subscribing again is how an admin says "post here again" after the bot was re-added.
        await resumeChat(client, chatId, at);
        return { added };
      });
    },
    async unsubscribe(chatId, sourceIds) {
      return { removed: await removeSubscriptions(pool, chatId, sourceIds) };
    },
    async setChatSources(chatId, change, options) {
      // The pause is left alone: no resumeChat here.
      return transaction(async (client) => {
        let removed = change.dropAll ? await removeSubscriptions(client, chatId, 'all') : 0;
        const added = change.add ? await addSubscriptions(client, chatId, change.add, options.subscribedBy, options.threadId ?? null, nowIso()) : [];
        if (change.remove) removed += await removeSubscriptions(client, chatId, change.remove);
        return { added, removed };
      });
    },
    async listSubscriptions(chatId) {
      return listSubscriptions(pool, chatId);
    },
    async listChatsSubscribedBy(userId) {
      const { rows } = await pool.query<Row>(
        `SELECT c.* FROM chats c WHERE EXISTS (SELECT 1 FROM subscriptions sub WHERE sub.chat_id = c.id AND sub.subscribed_by = $1)
         ORDER BY c.id`,
        [userId],
      );
      const chats = [];
      for (const row of rows) {
        const chat = toChat(row);
        chats.push({ chat, subscriptions: await listSubscriptions(pool, chat.id) });
      }
      return chats;
    },
    async pauseChat(chatId, reason) {
      await transaction(async (client) => {
        const at = nowIso();
        await client.query(`UPDATE chats SET paused_reason = $2, updated_at = $3 WHERE id = $1`, [chatId, reason, at]);
        await client.query(
          `UPDATE deliveries SET state = 'paused', updated_at = $2 WHERE chat_id = $1 AND state IN ('pending', 'sending')`,
          [chatId, at],
        );
      });
    },
    async resumeChat(chatId) {
      await transaction((client) => resumeChat(client, chatId, nowIso()));
    },
    async chatPausedReason(chatId) {
      const { rows } = await pool.query<Row>(`SELECT paused_reason FROM chats WHERE id = $1`, [chatId]);
      return rows[0]?.paused_reason == null ? null : String(rows[0].paused_reason);
    },
    async migrateChat(fromId, toId) {
      await transaction(async (client) => {
        const old = await client.query(`SELECT id FROM chats WHERE id = $1 FOR UPDATE`, [fromId]);
        if (old.rowCount === 0) return;
        const target = await client.query(`SELECT id FROM chats WHERE id = $1 FOR UPDATE`, [toId]);
        if (target.rowCount === 0) {
          // ON UPDATE CASCADE carries subscriptions and deliveries along.
          await client.query(`UPDATE chats SET id = $1, kind = 'supergroup', updated_at = $2 WHERE id = $3`, [toId, nowIso(), fromId]);
          return;
        }
        // What the new chat already has wins (SQLite's UPDATE OR IGNORE); the rest goes with the old chat.
        await client.query(
          `UPDATE subscriptions sub SET chat_id = $1 WHERE sub.chat_id = $2 AND NOT EXISTS (
             SELECT 1 FROM subscriptions other WHERE other.chat_id = $1 AND coalesce(other.source_id, 0) = coalesce(sub.source_id, 0))`,
          [toId, fromId],
        );
        await client.query(
          `UPDATE deliveries d SET chat_id = $1 WHERE d.chat_id = $2 AND NOT EXISTS (
             SELECT 1 FROM deliveries other WHERE other.chat_id = $1 AND other.item_id = d.item_id)`,
          [toId, fromId],
        );
        await client.query(`DELETE FROM chats WHERE id = $1`, [fromId]);
      });
    },
    async listSourceSubscribers(sourceId) {
      // A chat subscribed both to this source and to "all" is listed once, in the topic of the
      // subscription that names the source.
      const { rows } = await pool.query<Row>(
        `SELECT sub.chat_id, c.settings,
           (SELECT own.thread_id FROM subscriptions own
            WHERE own.chat_id = sub.chat_id AND (own.source_id = $1 OR own.source_id IS NULL) AND NOT own.paused
            ORDER BY own.source_id IS NULL LIMIT 1) AS thread_id
         FROM subscriptions sub JOIN chats c ON c.id = sub.chat_id
         WHERE (sub.source_id = $1 OR sub.source_id IS NULL) AND NOT sub.paused AND c.paused_reason IS NULL
         GROUP BY sub.chat_id, c.id ORDER BY min(sub.id)`,
        [sourceId],
      );
      return rows.map((row) => ({
        chatId: Number(row.chat_id),
        threadId: row.thread_id == null ? null : Number(row.thread_id),
        settings: readChatSettings(row.settings),
      }));
    },
    async getChatSettings(chatId) {
      const { rows } = await pool.query<Row>(`SELECT settings FROM chats WHERE id = $1`, [chatId]);
      return rows[0] ? readChatSettings(rows[0].settings) : { ...defaultChatSettings };
    },
    async updateChatSettings(chatId, patch) {
      return transaction(async (client) => {
        const { rows } = await client.query<Row>(`SELECT settings FROM chats WHERE id = $1 FOR UPDATE`, [chatId]);
        if (!rows[0]) throw new Error(`unknown chat ${chatId}`);
        const next = applyChatSettings(readChatSettings(rows[0].settings), patch);
        await client.query(`UPDATE chats SET settings = $2::jsonb, updated_at = $3 WHERE id = $1`, [chatId, JSON.stringify(next), nowIso()]);
        return next;
      });
    },
    async askForInput(userId, input, expiresAt, now) {
      await transaction(async (client) => {
        await client.query(`DELETE FROM pending_inputs WHERE expires_at <= $1`, [now.getTime()]);
        await client.query(
          `INSERT INTO pending_inputs (user_id, chat_id, list, expires_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, list = excluded.list, expires_at = excluded.expires_at`,
          [userId, input.chatId, input.list, expiresAt.getTime()],
        );
      });
    },
    async openInput(userId, now) {
      const { rows } = await pool.query<Row>(`SELECT chat_id, list FROM pending_inputs WHERE user_id = $1 AND expires_at > $2`, [userId, now.getTime()]);
      return rows[0] ? { chatId: Number(rows[0].chat_id), list: rows[0].list as InputList } : null;
    },
    async closeInput(userId) {
      return ((await pool.query(`DELETE FROM pending_inputs WHERE user_id = $1`, [userId])).rowCount ?? 0) > 0;
    },
  };
}
