import type { SourceStore } from '../store.js';
import { nowIso, type Queryable, type Row } from './connection.js';
import { toSource } from './rows.js';

export function createPostgresSources(db: Queryable): SourceStore {
  const bySql = async (sql: string, params: unknown[]) => (await db.query<Row>(sql, params)).rows.map(toSource);
  const findByUrl = async (url: string) => (await bySql(`SELECT * FROM sources WHERE url = $1 OR feed_url = $1 ORDER BY id LIMIT 1`, [url]))[0] ?? null;

  return {
    async addSource({ url, feedUrl, title }) {
      const existing = await findByUrl(url);
      if (existing) return { source: existing, created: false };
      const inserted = await bySql(
        `INSERT INTO sources (url, feed_url, title, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT (url) DO NOTHING RETURNING *`,
        [url, feedUrl, title, nowIso()],
      );
      if (inserted[0]) return { source: inserted[0], created: true };
      // Another process added it meanwhile.
      return { source: (await findByUrl(url))!, created: false };
    },
    async getSource(id) {
      return (await bySql(`SELECT * FROM sources WHERE id = $1`, [id]))[0] ?? null;
    },
    async findSourceByUrl(url) {
      return findByUrl(url);
    },
    async listSources() {
      return bySql(`SELECT * FROM sources ORDER BY id`, []);
    },
    async removeSource(id) {
      // Items, their index entries, subscriptions and deliveries go with it (ON DELETE CASCADE).
      return ((await db.query(`DELETE FROM sources WHERE id = $1`, [id])).rowCount ?? 0) > 0;
    },
    async recordPollOutcome(sourceId, outcome, at = new Date()) {
      const nextPollAt = outcome.nextPollAt?.getTime() ?? null;
      if (outcome.ok) {
        await db.query(
          `UPDATE sources SET last_polled_at = $2, last_success_at = $2, last_error = NULL, consecutive_failures = 0,
             etag = coalesce($3::text, etag), last_modified = coalesce($4::text, last_modified),
             body_hash = coalesce($5::text, body_hash), format = coalesce($6::text, format),
             ttl_minutes = CASE WHEN $7::boolean THEN $8::integer ELSE ttl_minutes END,
             feed_url = coalesce($9::text, feed_url), title = coalesce(title, $10::text),
             next_poll_at = coalesce($11::bigint, next_poll_at),
             last_new_item_at = CASE WHEN $12::integer > 0 THEN $2 ELSE last_new_item_at END,
             flood_polls = coalesce($13::integer, flood_polls), lease_owner = NULL, lease_until = NULL
           WHERE id = $1`,
          [
            sourceId,
            at.toISOString(),
            outcome.etag ?? null,
            outcome.lastModified ?? null,
            outcome.bodyHash ?? null,
            outcome.format ?? null,
            outcome.ttlMinutes !== undefined,
            outcome.ttlMinutes ?? null,
            outcome.feedUrl ?? null,
            outcome.title ?? null,
            nextPollAt,
            outcome.newItems ?? 0,
            outcome.floodPolls ?? null,
          ],
        );
      } else {
        await db.query(
          `UPDATE sources SET last_polled_at = $2, last_error = $3, consecutive_failures = consecutive_failures + 1,
             next_poll_at = coalesce($4::bigint, next_poll_at),
             state = coalesce($5::text, state), state_reason = CASE WHEN $5::text IS NULL THEN state_reason ELSE $3 END,
             lease_owner = NULL, lease_until = NULL
           WHERE id = $1`,
          [sourceId, at.toISOString(), outcome.error, nextPollAt, outcome.state ?? null],
        );
      }
    },
    async listDueSources(at, limit) {
      return bySql(`SELECT * FROM sources WHERE state = 'active' AND next_poll_at <= $1 ORDER BY next_poll_at, id LIMIT $2`, [
        at.getTime(),
        limit,
      ]);
    },
    async setSourceState(id, state, reason) {
      const result = await db.query(
        `UPDATE sources SET state = $2, state_reason = $3,
           consecutive_failures = CASE WHEN $2 = 'active' THEN 0 ELSE consecutive_failures END,
           next_poll_at = CASE WHEN $2 = 'active' THEN 0 ELSE next_poll_at END
         WHERE id = $1`,
        [id, state, reason],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async setSourceInterval(id, seconds) {
      // A shorter interval takes effect now; a longer one from the next poll on.
      const nextPollAt = seconds === null ? null : Date.now() + seconds * 1000;
      const result = await db.query(
        `UPDATE sources SET interval_seconds = $2, next_poll_at = least(next_poll_at, coalesce($3::bigint, next_poll_at)) WHERE id = $1`,
        [id, seconds, nextPollAt],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async setSourceFullText(id, fullText) {
      return ((await db.query(`UPDATE sources SET full_text = $2 WHERE id = $1`, [id, fullText])).rowCount ?? 0) > 0;
    },
    async markSourceFloodNoticed(id) {
      await db.query(`UPDATE sources SET flood_noticed = true WHERE id = $1`, [id]);
    },
  };
}
