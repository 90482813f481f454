import type { ChatKind, ChatRecord, ItemRecord, SourceRecord, SourceState, SubscriptionRecord } from '../store.js';
import type { Row } from './connection.js';

const text = (value: unknown): string | null => (value == null ? null : String(value));
const int = (value: unknown): number | null => (value == null ? null : Number(value));

export function toSource(row: Row): SourceRecord {
  return {
    id: Number(row.id),
    url: String(row.url),
    feedUrl: String(row.feed_url),
    title: text(row.title),
    addedAt: String(row.added_at),
    lastPolledAt: text(row.last_polled_at),
    lastSuccessAt: text(row.last_success_at),
    lastError: text(row.last_error),
    consecutiveFailures: Number(row.consecutive_failures),
    etag: text(row.etag),
    lastModified: text(row.last_modified),
    itemCount: Number(row.item_count),
    state: row.state as SourceState,
    stateReason: text(row.state_reason),
    format: text(row.format),
    bodyHash: text(row.body_hash),
    nextPollAt: new Date(Number(row.next_poll_at)),
    intervalSeconds: int(row.interval_seconds),
    lastNewItemAt: text(row.last_new_item_at),
    floodPolls: Number(row.flood_polls),
    floodNoticed: row.flood_noticed === true,
    fullText: row.full_text === true,
    ttlMinutes: int(row.ttl_minutes),
  };
}

/** A jsonb array of lines as stored; anything else reads as none. */
export function toSignatures(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((line): line is string => typeof line === 'string') : [];
}

export function toItem(row: Row): ItemRecord {
  return {
    id: Number(row.id),
    sourceId: Number(row.source_id),
    sourceTitle: text(row.source_title),
    headline: String(row.headline),
    link: text(row.link),
    publishedAt: text(row.published_at),
    firstSeenAt: String(row.first_seen_at),
  };
}

export function toChat(row: Row): ChatRecord {
  return {
    id: Number(row.id),
    kind: row.kind as ChatKind,
    title: text(row.title),
    username: text(row.username),
  };
}

export function toSubscription(row: Row): SubscriptionRecord {
  return {
    chatId: Number(row.chat_id),
    sourceId: int(row.source_id),
    sourceTitle: text(row.source_title),
    subscribedBy: int(row.subscribed_by),
    paused: row.paused === true || row.chat_paused_reason != null,
    createdAt: String(row.created_at),
    threadId: int(row.thread_id),
  };
}
