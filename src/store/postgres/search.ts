import type pg from 'pg';
import type { IndexEntry, IndexHit, IndexQuery, IndexRebuild, IndexState, ItemText, SearchStore } from '../store.js';
import type { PostgresConnection, Queryable, Row } from './connection.js';
import { toItem } from './rows.js';
import { toTsQueries, toTsvector, type TsQueries } from './text-search.js';

type Slot = 'a' | 'b';

const tableOf = (slot: Slot) => (slot === 'a' ? 'search_entries_a' : 'search_entries_b');
const otherSlot = (slot: Slot): Slot => (slot === 'a' ? 'b' : 'a');

/**
 * Matches are ranked in runs of this many, newest first: a search ranks the newest 500 matches its
 * filters allow, and reads older ones only for a page beyond them, so a very common word costs what
 * 500 matches cost, not what the archive holds. ts_rank_cd reads each ranked match's tsvector (a few
 * KB): at 100,000 articles, runs of 2,000 (SQLite's number per partition, where bm25 is cheaper) gave
 * searchArticles a p50 of 65 ms and p95 of 120 ms; runs of 500, 30 and 65 ms.
 */
const rankedMatches = 500;

/**
 * ts_rank_cd's weights for {D, C, B, A}: a title word (A) counts four times a body word (B), as in
 * the SQLite store's bm25. Normalisation 1 divides by 1 + the log of the item's length, so a word in
 * a short headline ranks above the same word in a long one, as bm25 does.
 */
const rankWeights = '{0.1, 0.2, 0.25, 1.0}';
const rankNormalization = 1;

/** The search index, and what the items module needs to keep it in step with the items. */
export interface PostgresSearchIndex extends SearchStore {
  /**
   * Indexes new items in the live table and, during a rebuild, in the other one too. Runs inside the
   * caller's transaction, which it makes wait for a rebuild being started or swapped in meanwhile.
   */
  addEntries(client: Queryable, entries: IndexEntry[]): Promise<void>;
}

interface IndexRow {
  version: number;
  live: Slot;
  rebuild: IndexRebuild | null;
}

function toIndexRow(row: Row): IndexRow {
  return {
    version: Number(row.version),
    live: row.live as Slot,
    rebuild:
      row.rebuild_version == null
        ? null
        : { version: Number(row.rebuild_version), untilId: Number(row.rebuild_until_id), doneUntilId: Number(row.rebuild_done_until_id) },
  };
}

async function readIndexRow(db: Queryable, lock: '' | 'FOR SHARE' | 'FOR UPDATE' = ''): Promise<IndexRow> {
  const { rows } = await db.query<Row>(`SELECT * FROM search_index WHERE id = 1 ${lock}`);
  return toIndexRow(rows[0]!);
}

/** Writes entries to one table, replacing an entry already there; items removed meanwhile are skipped. */
async function writeEntries(db: Queryable, slot: Slot, entries: IndexEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO ${tableOf(slot)} (item_id, tokens)
     SELECT e.id, e.tokens::tsvector FROM unnest($1::bigint[], $2::text[]) AS e (id, tokens)
     WHERE EXISTS (SELECT 1 FROM items i WHERE i.id = e.id)
     ON CONFLICT (item_id) DO UPDATE SET tokens = excluded.tokens`,
    [entries.map((entry) => entry.id), entries.map((entry) => toTsvector(entry.title, entry.body))],
  );
}

export function createPostgresSearchIndex(connection: PostgresConnection): PostgresSearchIndex {
  const { pool, transaction } = connection;

  /**
   * The statement for a query on the live table `table`: the best matches (or, with no words, the
   * newest items its filters allow), a page of them.
   */
  const searchStatement = (table: string, query: IndexQuery, queries: TsQueries, limit: number, offset: number) => {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const when = 'coalesce(i.published_at, i.first_seen_at)';
    const filters: string[] = [];
    if (query.sourceId !== undefined) filters.push(`i.source_id = ${param(query.sourceId)}`);
    if (query.after !== undefined) filters.push(`${when} >= ${param(query.after.toISOString())}`);
    if (query.before !== undefined) filters.push(`${when} < ${param(query.before.toISOString())}`);
    if (queries.match === null) {
      if (queries.excluded !== null) filters.push(`i.id NOT IN (SELECT item_id FROM ${table} WHERE tokens @@ ${param(queries.excluded)}::tsquery)`);
      const text = `
        SELECT i.*, s.title AS source_title FROM items i JOIN sources s ON s.id = i.source_id
        ${filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : ''}
        ORDER BY ${when} DESC, i.id DESC
        LIMIT ${param(limit)} OFFSET ${param(offset)}`;
      return { text, params };
    }
    const tsquery = `${param(queries.match)}::tsquery`;
    const cap = Math.ceil((offset + limit) / rankedMatches) * rankedMatches;
    // The newest matches are picked by id alone (their tsvectors, a few KB each, are read only for
    // the ones ranked); items are joined there only when a filter needs them. Scores within about
    // 5 % of each other (the same words, slightly longer texts) count as equal and are told apart
    // by recency, as in the SQLite store.
    const text = `
      WITH candidates AS MATERIALIZED (
        SELECT e.item_id FROM ${table} e
        ${filters.length > 0 ? 'JOIN items i ON i.id = e.item_id' : ''}
        WHERE ${[`e.tokens @@ ${tsquery}`, ...filters].join(' AND ')}
        ORDER BY e.item_id DESC LIMIT ${param(cap)}
      ), ranked AS (
        SELECT c.item_id, (row_number() OVER (ORDER BY c.item_id DESC) - 1) / ${rankedMatches} AS run,
          round(ln(greatest(ts_rank_cd('${rankWeights}', e.tokens, ${tsquery}, ${rankNormalization}), 1e-12)) * 20) AS score
        FROM candidates c JOIN ${table} e ON e.item_id = c.item_id
      )
      SELECT i.*, s.title AS source_title FROM ranked r JOIN items i ON i.id = r.item_id JOIN sources s ON s.id = i.source_id
      ORDER BY r.run, r.score DESC, ${when} DESC, i.id DESC
      LIMIT ${param(limit)} OFFSET ${param(offset)}`;
    return { text, params };
  };

  const searchItems = async (query: IndexQuery, limit: number, offset: number): Promise<IndexHit[]> => {
    if (limit === 0) return [];
    const queries = toTsQueries(query);
    if (queries.matchesNothing) return [];
    const client = await pool.connect();
    try {
      // One round trip opens the transaction: both index tables locked for reading first, so a swap's
      // TRUNCATE of the old table waits for this search, which then reads the table the pointer names.
      // Matches are found through the GIN index only: a scan of the table, or of its ids newest
      // first, tests each item's tsvector (a few KB) and, with the statistics of a common word, the
      // planner may pick one (1.6 s and 1.5 s at 100,000 items, against 40 ms by the GIN index). A
      // listing without words keeps its index scan in date order.
      const planner = queries.match === null ? 'SET LOCAL enable_seqscan = off;' : 'SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off;';
      const opened = (await client.query(
        `BEGIN; ${planner} LOCK TABLE search_entries_a, search_entries_b IN ACCESS SHARE MODE;
         SELECT live FROM search_index WHERE id = 1`,
      )) as unknown as Array<pg.QueryResult<Row>>;
      const live = opened.at(-1)!.rows[0]!.live as Slot;
      const { text, params } = searchStatement(tableOf(live), query, queries, limit, offset);
      const { rows } = await client.query<Row>(text, params);
      await client.query('COMMIT');
      return rows.map((row) => ({ ...toItem(row), bodyText: row.body_text == null ? null : String(row.body_text) }));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };

  return {
    async addEntries(client, entries) {
      if (entries.length === 0) return;
      const index = await readIndexRow(client, 'FOR SHARE');
      await writeEntries(client, index.live, entries);
      // During a rebuild both tables get new items, so the new one is complete when swapped in.
      if (index.rebuild) await writeEntries(client, otherSlot(index.live), entries);
    },
    async searchItems(query, { limit, offset = 0 }) {
      return searchItems(query, Math.max(0, Math.floor(limit)), Math.max(0, Math.floor(offset)));
    },
    async getIndexState(): Promise<IndexState> {
      const { version, rebuild } = await readIndexRow(pool);
      return { version, rebuild };
    },
    async beginIndexRebuild(version) {
      return transaction(async (client) => {
        const index = await readIndexRow(client, 'FOR UPDATE');
        if (index.rebuild && index.rebuild.version === version) return index.rebuild;
        await client.query(`TRUNCATE ${tableOf(otherSlot(index.live))}`);
        // Items recorded from now on wait for this transaction (they lock the row FOR SHARE), so
        // every item is either up to untilId or written to both tables.
        const { rows } = await client.query<Row>(`SELECT coalesce(max(id), 0) AS id FROM items`);
        const untilId = Number(rows[0]!.id);
        await client.query(
          `UPDATE search_index SET rebuild_version = $1, rebuild_until_id = $2, rebuild_done_until_id = 0 WHERE id = 1`,
          [version, untilId],
        );
        return { version, untilId, doneUntilId: 0 };
      });
    },
    async listItemTexts(afterId, untilId, limit): Promise<ItemText[]> {
      const { rows } = await pool.query<Row>(
        `SELECT id, source_id, headline, body_text FROM items WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`,
        [afterId, untilId, limit],
      );
      return rows.map((row) => ({
        id: Number(row.id),
        sourceId: Number(row.source_id),
        headline: String(row.headline),
        bodyText: row.body_text == null ? null : String(row.body_text),
      }));
    },
    async countItemTexts(afterId, untilId) {
      const { rows } = await pool.query<Row>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE body_text IS NULL) AS without_body FROM items WHERE id > $1 AND id <= $2`,
        [afterId, untilId],
      );
      return { items: Number(rows[0]!.n), withoutBody: Number(rows[0]!.without_body) };
    },
    async writeIndexBatch(entries, doneUntilId) {
      await transaction(async (client) => {
        const index = await readIndexRow(client, 'FOR UPDATE');
        if (!index.rebuild) throw new Error('no index rebuild is under way');
        // An item removed since the batch was read must not come back as a ghost entry.
        await writeEntries(client, otherSlot(index.live), entries);
        await client.query(`UPDATE search_index SET rebuild_done_until_id = $1 WHERE id = 1`, [doneUntilId]);
      });
    },
    async finishIndexRebuild() {
      const old = await transaction(async (client) => {
        const index = await readIndexRow(client, 'FOR UPDATE');
        if (!index.rebuild) throw new Error('no index rebuild is under way');
        await client.query(
          `UPDATE search_index SET version = rebuild_version, live = $1, rebuild_version = NULL, rebuild_until_id = NULL,
             rebuild_done_until_id = NULL WHERE id = 1`,
          [otherSlot(index.live)],
        );
        return index.live;
      });
      // Emptied once swapped out (unless a new rebuild already fills it): TRUNCATE waits for the
      // searches still reading it, which name both tables.
      await transaction(async (client) => {
        const index = await readIndexRow(client, 'FOR UPDATE');
        if (index.live !== old && !index.rebuild) await client.query(`TRUNCATE ${tableOf(old)}`);
      });
    },
  };
}
