import type Database from 'better-sqlite3';
import { applyChatSettings, readChatSettings } from '../chat-settings.js';
import { defaultChatSettings, type ChatSettings, type ChatSourcesChange, type ChatStore, type InputList } from '../store.js';
import { nowIso, type Row } from './connection.js';
import { toChat, toSubscription } from './rows.js';

export function createSqliteChats(db: Database.Database): ChatStore {
  const stmt = {
    upsertChat: db.prepare(`
      INSERT INTO chats (id, kind, title, username, updated_at) VALUES (@id, @kind, @title, @username, @at)
      ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title, username = excluded.username,
        updated_at = excluded.updated_at`),
    chatById: db.prepare(`SELECT * FROM chats WHERE id = ?`),
    resumeChat: db.prepare(`UPDATE chats SET paused_reason = NULL WHERE id = ?`),
    resumeChatDeliveries: db.prepare(`UPDATE deliveries SET state = 'pending', updated_at = ? WHERE chat_id = ? AND state = 'paused'`),
    insertSubscription: db.prepare(`
      INSERT INTO subscriptions (chat_id, source_id, subscribed_by, created_at, thread_id) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING`),
    moveSubscription: db.prepare(`UPDATE subscriptions SET thread_id = ? WHERE chat_id = ? AND source_id IS ?`),
    chatPausedReason: db.prepare(`SELECT paused_reason FROM chats WHERE id = ?`),
    deleteSubscription: db.prepare(`DELETE FROM subscriptions WHERE chat_id = ? AND source_id IS ?`),
    deleteAllSubscriptions: db.prepare(`DELETE FROM subscriptions WHERE chat_id = ?`),
    subscriptionsOfChat: db.prepare(`
      SELECT sub.*, s.title AS source_title, c.paused_reason AS chat_paused_reason
      FROM subscriptions sub JOIN chats c ON c.id = sub.chat_id LEFT JOIN sources s ON s.id = sub.source_id
      WHERE sub.chat_id = ? ORDER BY sub.source_id IS NOT NULL, sub.source_id`),
    chatsSubscribedBy: db.prepare(`
      SELECT DISTINCT c.* FROM chats c JOIN subscriptions sub ON sub.chat_id = c.id
      WHERE sub.subscribed_by = ? ORDER BY c.id`),
    pauseChat: db.prepare(`UPDATE chats SET paused_reason = ?, updated_at = ? WHERE id = ?`),
    pauseChatDeliveries: db.prepare(`
      UPDATE deliveries SET state = 'paused', updated_at = ? WHERE chat_id = ? AND state IN ('pending', 'sending')`),
    moveChat: db.prepare(`UPDATE chats SET id = ?, kind = 'supergroup', updated_at = ? WHERE id = ?`),
    moveSubscriptions: db.prepare(`UPDATE OR IGNORE subscriptions SET chat_id = ? WHERE chat_id = ?`),
    moveDeliveries: db.prepare(`UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?`),
    deleteChat: db.prepare(`DELETE FROM chats WHERE id = ?`),
    chatSettings: db.prepare(`SELECT settings FROM chats WHERE id = ?`),
    setChatSettings: db.prepare(`UPDATE chats SET settings = ?, updated_at = ? WHERE id = ?`),
    // A chat subscribed both to this source and to "all" is listed once, in the topic of the
    // subscription that names the source.
    sourceSubscribers: db.prepare(`
      SELECT sub.chat_id, c.settings,
        (SELECT own.thread_id FROM subscriptions own
         WHERE own.chat_id = sub.chat_id AND (own.source_id = @sourceId OR own.source_id IS NULL) AND own.paused = 0
         ORDER BY own.source_id IS NULL LIMIT 1) AS thread_id
      FROM subscriptions sub JOIN chats c ON c.id = sub.chat_id
      WHERE (sub.source_id = @sourceId OR sub.source_id IS NULL) AND sub.paused = 0 AND c.paused_reason IS NULL
      GROUP BY sub.chat_id ORDER BY min(sub.id)`),
    deleteExpiredInputs: db.prepare(`DELETE FROM pending_inputs WHERE expires_at <= ?`),
    askForInput: db.prepare(`
      INSERT INTO pending_inputs (user_id, chat_id, list, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, list = excluded.list, expires_at = excluded.expires_at`),
    openInput: db.prepare(`SELECT chat_id, list FROM pending_inputs WHERE user_id = ? AND expires_at > ?`),
    closeInput: db.prepare(`DELETE FROM pending_inputs WHERE user_id = ?`),
  };

  // Thousands of chats share a few settings texts ('{}' above all): each is read once, not per poll.
  const settingsByText = new Map<string, ChatSettings>();
  const settingsOf = (stored: unknown): ChatSettings => {
    if (typeof stored !== 'string') return readChatSettings(stored);
    let settings = settingsByText.get(stored);
    if (!settings) {
      if (settingsByText.size >= 1000) settingsByText.clear();
      settings = Object.freeze(readChatSettings(stored));
      settingsByText.set(stored, settings);
    }
    return settings;
  };

  /** Adds subscriptions (within the caller's transaction); returns those that were not there yet. */
  const addSubscriptions = (chatId: number, sourceIds: number[] | 'all', by: number | null, threadId: number | null, at: string) => {
    const added: Array<number | null> = [];
    const targets = sourceIds === 'all' ? [null] : sourceIds;
    for (const sourceId of targets) {
      if (stmt.insertSubscription.run(chatId, sourceId, by, at, threadId).changes > 0) added.push(sourceId);
      // Subscribing again from another topic is how an admin moves the posts there.
      else stmt.moveSubscription.run(threadId, chatId, sourceId);
    }
    return added;
  };

  /** Removes subscriptions (within the caller's transaction); returns how many there were. */
  const removeSubscriptions = (chatId: number, sourceIds: number[] | 'all') => {
    if (sourceIds === 'all') return stmt.deleteAllSubscriptions.run(chatId).changes;
    let removed = 0;
    for (const sourceId of sourceIds) removed += stmt.deleteSubscription.run(chatId, sourceId).changes;
    return removed;
  };

  const subscribe = db.transaction((chatId: number, sourceIds: number[] | 'all', by: number | null, threadId: number | null) => {
    const at = nowIso();
    const added = addSubscriptions(chatId, sourceIds, by, threadId, at);
    // Subscribing again is how an admin says "post here again" after the bot was re-added.
    stmt.resumeChat.run(chatId);
    stmt.resumeChatDeliveries.run(at, chatId);
    return { added };
  });

  const unsubscribe = db.transaction((chatId: number, sourceIds: number[] | 'all') => ({ removed: removeSubscriptions(chatId, sourceIds) }));

  // The pause is left alone: no resumeChat here.
  const setChatSources = db.transaction((chatId: number, change: ChatSourcesChange, by: number | null, threadId: number | null) => {
    let removed = change.dropAll ? removeSubscriptions(chatId, 'all') : 0;
    const added = change.add ? addSubscriptions(chatId, change.add, by, threadId, nowIso()) : [];
    if (change.remove) removed += removeSubscriptions(chatId, change.remove);
    return { added, removed };
  });

  const askForInput = db.transaction((userId: number, chatId: number, list: InputList, expiresAt: number, now: number) => {
    stmt.deleteExpiredInputs.run(now);
    stmt.askForInput.run(userId, chatId, list, expiresAt);
  });

  const pauseChat = db.transaction((chatId: number, reason: string) => {
    const at = nowIso();
    stmt.pauseChat.run(reason, at, chatId);
    stmt.pauseChatDeliveries.run(at, chatId);
  });

  const resumeChat = db.transaction((chatId: number) => {
    stmt.resumeChat.run(chatId);
    stmt.resumeChatDeliveries.run(nowIso(), chatId);
  });

  const migrateChat = db.transaction((fromId: number, toId: number) => {
    const old = stmt.chatById.get(fromId) as Row | undefined;
    if (!old) return;
    if (!stmt.chatById.get(toId)) {
      // ON UPDATE CASCADE carries subscriptions and deliveries along.
      stmt.moveChat.run(toId, nowIso(), fromId);
      return;
    }
    stmt.moveSubscriptions.run(toId, fromId);
    stmt.moveDeliveries.run(toId, fromId);
    stmt.deleteChat.run(fromId);
  });

  const updateChatSettings = db.transaction((chatId: number, patch: Parameters<ChatStore['updateChatSettings']>[1]) => {
    const row = stmt.chatSettings.get(chatId) as Row | undefined;
    if (!row) throw new Error(`unknown chat ${chatId}`);
    const next = applyChatSettings(readChatSettings(row.settings), patch);
    stmt.setChatSettings.run(JSON.stringify(next), nowIso(), chatId);
    return next;
  });

  return {
    async upsertChat(chat) {
      stmt.upsertChat.run({ ...chat, at: nowIso() });
    },
    async getChat(id) {
      const row = stmt.chatById.get(id) as Row | undefined;
      return row ? toChat(row) : null;
    },
    async subscribe(chatId, sourceIds, subscribedBy, options = {}) {
      return subscribe(chatId, sourceIds, subscribedBy, options.threadId ?? null);
    },
    async unsubscribe(chatId, sourceIds) {
      return unsubscribe(chatId, sourceIds);
    },
    async setChatSources(chatId, change, options) {
      return setChatSources(chatId, change, options.subscribedBy, options.threadId ?? null);
    },
    async listSubscriptions(chatId) {
      return (stmt.subscriptionsOfChat.all(chatId) as Row[]).map(toSubscription);
    },
    async listChatsSubscribedBy(userId) {
      return (stmt.chatsSubscribedBy.all(userId) as Row[]).map((row) => {
        const chat = toChat(row);
        const subscriptions = (stmt.subscriptionsOfChat.all(chat.id) as Row[]).map(toSubscription);
        return { chat, subscriptions };
      });
    },
    async pauseChat(chatId, reason) {
      pauseChat(chatId, reason);
    },
    async resumeChat(chatId) {
      resumeChat(chatId);
    },
    async chatPausedReason(chatId) {
      const row = stmt.chatPausedReason.get(chatId) as Row | undefined;
      return (row?.paused_reason as string | null | undefined) ?? null;
    },
    async migrateChat(fromId, toId) {
      migrateChat(fromId, toId);
    },
    async listSourceSubscribers(sourceId) {
      return (stmt.sourceSubscribers.all({ sourceId }) as Row[]).map((row) => ({
        chatId: Number(row.chat_id),
        threadId: row.thread_id == null ? null : Number(row.thread_id),
        settings: settingsOf(row.settings),
      }));
    },
    async getChatSettings(chatId) {
      const row = stmt.chatSettings.get(chatId) as Row | undefined;
      return row ? readChatSettings(row.settings) : { ...defaultChatSettings };
    },
    async updateChatSettings(chatId, patch) {
      return updateChatSettings(chatId, patch);
    },
    async askForInput(userId, input, expiresAt, now) {
      askForInput(userId, input.chatId, input.list, expiresAt.getTime(), now.getTime());
    },
    async openInput(userId, now) {
      const row = stmt.openInput.get(userId, now.getTime()) as Row | undefined;
      return row ? { chatId: Number(row.chat_id), list: row.list as InputList } : null;
    },
    async closeInput(userId) {
      return stmt.closeInput.run(userId).changes > 0;
    },
  };
}
