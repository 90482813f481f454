import type Database from 'better-sqlite3';
import type { SourceStore } from '../store.js';
import { nowIso, type Row } from './connection.js';
import { toSource } from './rows.js';
import type { SqliteSearchIndex } from './search-index.js';

export function createSqliteSources(db: Database.Database, index: SqliteSearchIndex): SourceStore {
  const sourceSelect = `SELECT s.* FROM sources s`;
  const stmt = {
    sourceById: db.prepare(`${sourceSelect} WHERE s.id = ?`),
    sourceByUrl: db.prepare(`${sourceSelect} WHERE s.url = ? OR s.feed_url = ?`),
    allSources: db.prepare(`${sourceSelect} ORDER BY s.id`),
    insertSource: db.prepare(
      `INSERT INTO sources (url, feed_url, title, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (url) DO NOTHING`,
    ),
    deleteSource: db.prepare(`DELETE FROM sources WHERE id = ?`),
    itemIdsOfSource: db.prepare(`SELECT id FROM items WHERE source_id = ?`),
    pollOk: db.prepare(`
      UPDATE sources SET last_polled_at = @at, last_success_at = @at, last_error = NULL, consecutive_failures = 0,
        etag = coalesce(@etag, etag), last_modified = coalesce(@lastModified, last_modified),
        body_hash = coalesce(@bodyHash, body_hash), format = coalesce(@format, format),
        ttl_minutes = CASE WHEN @parsed = 1 THEN @ttlMinutes ELSE ttl_minutes END,
        feed_url = coalesce(@feedUrl, feed_url), title = coalesce(title, @title),
        next_poll_at = coalesce(@nextPollAt, next_poll_at),
        last_new_item_at = CASE WHEN @newItems > 0 THEN @at ELSE last_new_item_at END,
        flood_polls = coalesce(@floodPolls, flood_polls), lease_owner = NULL, lease_until = NULL
      WHERE id = @id`),
    pollFailed: db.prepare(`
      UPDATE sources SET last_polled_at = @at, last_error = @error, consecutive_failures = consecutive_failures + 1,
        next_poll_at = coalesce(@nextPollAt, next_poll_at),
        state = coalesce(@state, state), state_reason = CASE WHEN @state IS NULL THEN state_reason ELSE @error END,
        lease_owner = NULL, lease_until = NULL
      WHERE id = @id`),
    dueSources: db.prepare(`${sourceSelect} WHERE s.state = 'active' AND s.next_poll_at <= ? ORDER BY s.next_poll_at, s.id LIMIT ?`),
    setState: db.prepare(`
      UPDATE sources SET state = @state, state_reason = @reason,
        consecutive_failures = CASE WHEN @state = 'active' THEN 0 ELSE consecutive_failures END,
        next_poll_at = CASE WHEN @state = 'active' THEN 0 ELSE next_poll_at END
      WHERE id = @id`),
    setInterval: db.prepare(`
      UPDATE sources SET interval_seconds = @seconds,
        next_poll_at = min(next_poll_at, coalesce(@nextPollAt, next_poll_at))
      WHERE id = @id`),
    setFullText: db.prepare(`UPDATE sources SET full_text = ? WHERE id = ?`),
    floodNoticed: db.prepare(`UPDATE sources SET flood_noticed = 1 WHERE id = ?`),
  };

  const removeSource = index.keepingLayout(
    db.transaction((id: number) => {
      for (const row of stmt.itemIdsOfSource.all(id) as Row[]) index.removeEntry(Number(row.id));
      return stmt.deleteSource.run(id).changes > 0;
    }),
  );

  return {
    async addSource({ url, feedUrl, title }) {
      const existing = stmt.sourceByUrl.get(url, url) as Row | undefined;
      if (existing) return { source: toSource(existing), created: false };
      const info = stmt.insertSource.run(url, feedUrl, title, nowIso());
      const row = stmt.sourceById.get(info.changes > 0 ? info.lastInsertRowid : -1) as Row | undefined;
      if (row) return { source: toSource(row), created: true };
      return { source: toSource(stmt.sourceByUrl.get(url, url) as Row), created: false };
    },
    async getSource(id) {
      const row = stmt.sourceById.get(id) as Row | undefined;
      return row ? toSource(row) : null;
    },
    async findSourceByUrl(url) {
      const row = stmt.sourceByUrl.get(url, url) as Row | undefined;
      return row ? toSource(row) : null;
    },
    async listSources() {
      return (stmt.allSources.all() as Row[]).map(toSource);
    },
    async removeSource(id) {
      return removeSource(id);
    },
    async recordPollOutcome(sourceId, outcome, at = new Date()) {
      const nextPollAt = outcome.nextPollAt?.getTime() ?? null;
      if (outcome.ok) {
        stmt.pollOk.run({
          id: sourceId,
          at: at.toISOString(),
          etag: outcome.etag ?? null,
          lastModified: outcome.lastModified ?? null,
          bodyHash: outcome.bodyHash ?? null,
          format: outcome.format ?? null,
          feedUrl: outcome.feedUrl ?? null,
          title: outcome.title ?? null,
          nextPollAt,
          newItems: outcome.newItems ?? 0,
          floodPolls: outcome.floodPolls ?? null,
          parsed: outcome.ttlMinutes === undefined ? 0 : 1,
          ttlMinutes: outcome.ttlMinutes ?? null,
        });
      } else {
        stmt.pollFailed.run({ id: sourceId, at: at.toISOString(), error: outcome.error, nextPollAt, state: outcome.state ?? null });
      }
    },
    async listDueSources(at, limit) {
      return (stmt.dueSources.all(at.getTime(), limit) as Row[]).map(toSource);
    },
    async setSourceState(id, state, reason) {
      return stmt.setState.run({ id, state, reason }).changes > 0;
    },
    async setSourceInterval(id, seconds) {
      // A shorter interval takes effect now; a longer one from the next poll on.
      const nextPollAt = seconds === null ? null : Date.now() + seconds * 1000;
      return stmt.setInterval.run({ id, seconds, nextPollAt }).changes > 0;
    },
    async setSourceFullText(id, fullText) {
      return stmt.setFullText.run(fullText ? 1 : 0, id).changes > 0;
    },
    async markSourceFloodNoticed(id) {
      stmt.floodNoticed.run(id);
    },
  };
}
