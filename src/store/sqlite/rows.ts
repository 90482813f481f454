import type { ChatKind, ChatRecord, ItemRecord, SourceRecord, SourceState, SubscriptionRecord } from '../store.js';
import type { Row } from './connection.js';

export function toSource(row: Row): SourceRecord {
  return {
    id: Number(row.id),
    url: String(row.url),
    feedUrl: String(row.feed_url),
    title: (row.title as string | null) ?? null,
    addedAt: String(row.added_at),
    lastPolledAt: (row.last_polled_at as string | null) ?? null,
    lastSuccessAt: (row.last_success_at as string | null) ?? null,
    lastError: (row.last_error as string | null) ?? null,
    consecutiveFailures: Number(row.consecutive_failures ?? 0),
    etag: (row.etag as string | null) ?? null,
    lastModified: (row.last_modified as string | null) ?? null,
    itemCount: Number(row.item_count ?? 0),
    state: (row.state as SourceState | undefined) ?? 'active',
    stateReason: (row.state_reason as string | null) ?? null,
    format: (row.format as string | null) ?? null,
    bodyHash: (row.body_hash as string | null) ?? null,
    nextPollAt: new Date(Number(row.next_poll_at ?? 0)),
    intervalSeconds: row.interval_seconds == null ? null : Number(row.interval_seconds),
    lastNewItemAt: (row.last_new_item_at as string | null) ?? null,
    floodPolls: Number(row.flood_polls ?? 0),
    floodNoticed: Number(row.flood_noticed ?? 0) === 1,
    fullText: Number(row.full_text ?? 0) === 1,
    ttlMinutes: row.ttl_minutes == null ? null : Number(row.ttl_minutes),
  };
}

export function parseSignatures(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((line): line is string => typeof line === 'string') : [];
  } catch {
    return [];
  }
}

export function toItem(row: Row): ItemRecord {
  return {
    id: Number(row.id),
    sourceId: Number(row.source_id),
    sourceTitle: (row.source_title as string | null) ?? null,
    headline: String(row.headline),
    link: (row.link as string | null) ?? null,
    publishedAt: (row.published_at as string | null) ?? null,
    firstSeenAt: String(row.first_seen_at),
  };
}

export function toChat(row: Row): ChatRecord {
  return {
    id: Number(row.id),
    kind: row.kind as ChatKind,
    title: (row.title as string | null) ?? null,
    username: (row.username as string | null) ?? null,
  };
}

export function toSubscription(row: Row): SubscriptionRecord {
  return {
    chatId: Number(row.chat_id),
    sourceId: row.source_id === null ? null : Number(row.source_id),
    sourceTitle: (row.source_title as string | null) ?? null,
    subscribedBy: row.subscribed_by === null ? null : Number(row.subscribed_by),
    paused: Number(row.paused) === 1 || row.chat_paused_reason != null,
    createdAt: String(row.created_at),
    threadId: row.thread_id == null ? null : Number(row.thread_id),
  };
}
