import type Database from 'better-sqlite3';
import type { IndexEntry, IndexHit, IndexQuery, IndexRebuild, IndexState, ItemText, SearchStore } from '../store.js';
import type { Row } from './connection.js';
import { toFts5Match } from './fts5-query.js';
import { toItem } from './rows.js';

/**
 * Items per index partition. FTS5 reads a word's whole list of matches in a table before it can
 * rank or even count them, so one index of 1,000,000 articles cost 30-50 ms for a common word;
 * a partition of 100,000 costs a tenth, and a search reads older partitions only when the newer
 * ones did not fill its page.
 */
export const defaultIndexPartitionSize = 100_000;

/** 'live' partitions answer searches; 'next' ones are filled by a rebuild and replace them when complete. */
type Layout = 'live' | 'next';

/** One FTS5 table of the index: the items from `firstId` up to the next partition's. */
interface Partition {
  n: number;
  firstId: number;
  table: string;
}

const partitionTable = (layout: Layout, n: number) => (layout === 'live' ? `items_fts_p${n}` : `items_fts_next_p${n}`);
const partitionDdl = (table: string) => `
  CREATE VIRTUAL TABLE ${table} USING fts5 (
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
  )`;

export interface SqliteStoreOptions {
  /** Items per index partition (tests use a few to walk many partitions). Default defaultIndexPartitionSize. */
  indexPartitionSize?: number;
}

/** The newest matches of a query that are ranked (see rankingFloor). */
const rankedMatches = 2000;

/** Title matches weigh this much more than body matches in bm25. */
const titleWeight = 4.0;

/** The search index, and what the items module needs to keep it in step with the items. */
export interface SqliteSearchIndex extends SearchStore {
  /** Indexes a new item in the live index and, during a rebuild, the new one. Runs inside the caller's transaction. */
  addEntry(itemId: number, title: string, body: string): void;
  /** Removes an item's entries. Runs inside the caller's transaction. */
  removeEntry(itemId: number): void;
  /**
   * Wraps a transaction that may add partitions: when it fails and rolls back, the layout kept in
   * memory is read again so it never names a table that is not there.
   */
  keepingLayout<A extends unknown[], R>(run: (...args: A) => R): (...args: A) => R;
}

export function createSqliteSearchIndex(db: Database.Database, options: SqliteStoreOptions = {}): SqliteSearchIndex {
  const partitionSize = Math.max(1, Math.floor(options.indexPartitionSize ?? defaultIndexPartitionSize));
  const stmt = {
    indexState: db.prepare(`SELECT * FROM search_index WHERE id = 1`),
    beginRebuild: db.prepare(`
      UPDATE search_index SET rebuild_version = @version, rebuild_until_id = @untilId, rebuild_done_until_id = 0 WHERE id = 1`),
    maxItemId: db.prepare(`SELECT coalesce(max(id), 0) AS id FROM items`),
    itemTexts: db.prepare(`
      SELECT id, source_id, headline, body_text FROM items WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`),
    countItemTexts: db.prepare(`
      SELECT count(*) AS n, coalesce(sum(body_text IS NULL), 0) AS without_body FROM items WHERE id > ? AND id <= ?`),
    itemExists: db.prepare(`SELECT 1 FROM items WHERE id = ?`),
    rebuildProgress: db.prepare(`UPDATE search_index SET rebuild_done_until_id = ? WHERE id = 1`),
    finishRebuild: db.prepare(`
      UPDATE search_index SET version = rebuild_version, rebuild_version = NULL, rebuild_until_id = NULL,
        rebuild_done_until_id = NULL WHERE id = 1`),
    partitions: db.prepare(`SELECT n, first_id FROM search_partitions WHERE layout = ? ORDER BY n`),
    addPartition: db.prepare(`INSERT INTO search_partitions (layout, n, first_id) VALUES (?, ?, ?)`),
    deletePartitions: db.prepare(`DELETE FROM search_partitions WHERE layout = ?`),
    promotePartitions: db.prepare(`UPDATE search_partitions SET layout = 'live' WHERE layout = 'next'`),
    nthItemId: db.prepare(`SELECT id FROM items WHERE id <= ? ORDER BY id LIMIT 1 OFFSET ?`),
  };

  /** The rebuild under way, if any, as the search_index row says. */
  const readRebuild = (): IndexRebuild | null => {
    const row = stmt.indexState.get() as Row;
    if (row.rebuild_version == null) return null;
    return {
      version: Number(row.rebuild_version),
      untilId: Number(row.rebuild_until_id),
      doneUntilId: Number(row.rebuild_done_until_id),
    };
  };

  /** Search statements by table and shape of query, prepared once each; cleared when tables change. */
  const searchStatements = new Map<string, Database.Statement>();

  /** Each layout's partitions, oldest first, as search_partitions says; read again whenever it changes. */
  const partitions: Record<Layout, Partition[]> = { live: [], next: [] };
  const loadPartitions = () => {
    for (const layout of ['live', 'next'] as const) {
      partitions[layout] = (stmt.partitions.all(layout) as Row[]).map((row) => ({
        n: Number(row.n),
        firstId: Number(row.first_id),
        table: partitionTable(layout, Number(row.n)),
      }));
    }
  };
  loadPartitions();

  /** Statements on one partition's table, prepared on first use; cleared when tables are dropped. */
  const tableStatements = new Map<string, { insert: Database.Statement; remove: Database.Statement }>();
  const onTable = (table: string) => {
    let statements = tableStatements.get(table);
    if (!statements) {
      statements = {
        insert: db.prepare(`INSERT INTO ${table} (rowid, title, body) VALUES (?, ?, ?)`),
        remove: db.prepare(`DELETE FROM ${table} WHERE rowid = ?`),
      };
      tableStatements.set(table, statements);
    }
    return statements;
  };

  /** The partition an id belongs to: the last one starting at or before it (partition 0 starts at 0). */
  const partitionOf = (layout: Layout, id: number): Partition => {
    const list = partitions[layout];
    for (let i = list.length - 1; i > 0; i--) if (list[i]!.firstId <= id) return list[i]!;
    return list[0]!;
  };

  const addPartition = (layout: Layout, n: number, firstId: number) => {
    db.exec(partitionDdl(partitionTable(layout, n)));
    stmt.addPartition.run(layout, n, firstId);
  };

  /**
   * Starts a new newest partition at `id` when the newest is full. Ids only grow (a new item takes
   * max(id) + 1), so every id already stored stays in the partition it was written to. Ids start at
   * 1, so partitions fall where a rebuild would lay them out and a rebuild changes no answer.
   */
  const makeRoomFor = (layout: Layout, id: number) => {
    const newest = partitions[layout].at(-1)!;
    if (id < Math.max(1, newest.firstId) + partitionSize) return;
    addPartition(layout, newest.n + 1, id);
    loadPartitions();
    searchStatements.clear();
  };

  /** The rebuild under way, cached: recordItems consults it for every item. */
  let rebuilding: IndexRebuild | null = partitions.next.length > 0 ? readRebuild() : null;

  /**
   * Writes an entry to a layout, deleting it first, so an item written by recordItems and again by a
   * batch (an id reused after a deletion) is indexed once.
   */
  const writeEntry = (layout: Layout, id: number, title: string, body: string) => {
    const { insert, remove } = onTable(partitionOf(layout, id).table);
    remove.run(id);
    insert.run(id, title, body);
  };

  /**
   * A transaction that fails is rolled back, partitions it made included: the layout kept in memory
   * is read again so it never names a table that is not there.
   */
  const keepingLayout = <A extends unknown[], R>(run: (...args: A) => R) => (...args: A): R => {
    try {
      return run(...args);
    } catch (err) {
      loadPartitions();
      tableStatements.clear();
      searchStatements.clear();
      rebuilding = partitions.next.length > 0 ? readRebuild() : null;
      throw err;
    }
  };

  const dropLayout = (layout: Layout) => {
    for (const partition of partitions[layout]) db.exec(`DROP TABLE IF EXISTS ${partition.table}`);
    stmt.deletePartitions.run(layout);
    tableStatements.clear();
    searchStatements.clear();
  };

  /**
   * The new index is laid out in partitions of `partitionSize` items up to `untilId` before any is
   * written, so each item's partition is known whatever order batches and new items arrive in.
   */
  const beginIndexRebuild = keepingLayout(db.transaction((version: number): IndexRebuild => {
    const current = readRebuild();
    if (current && current.version === version && rebuilding) return current;
    dropLayout('next');
    const untilId = Number((stmt.maxItemId.get() as Row).id);
    addPartition('next', 0, 0);
    for (let n = 1; ; n++) {
      const row = stmt.nthItemId.get(untilId, n * partitionSize) as Row | undefined;
      if (!row) break;
      addPartition('next', n, Number(row.id));
    }
    loadPartitions();
    stmt.beginRebuild.run({ version, untilId });
    rebuilding = { version, untilId, doneUntilId: 0 };
    return rebuilding;
  }));

  const writeIndexBatch = keepingLayout(db.transaction((entries: IndexEntry[], doneUntilId: number) => {
    if (!rebuilding) throw new Error('no index rebuild is under way');
    for (const entry of entries) {
      // An item removed since the batch was read must not come back as a ghost entry.
      if (stmt.itemExists.get(entry.id) === undefined) continue;
      writeEntry('next', entry.id, entry.title, entry.body);
    }
    stmt.rebuildProgress.run(doneUntilId);
  }));

  const finishIndexRebuild = keepingLayout(db.transaction(() => {
    if (!readRebuild() || !rebuilding) throw new Error('no index rebuild is under way');
    dropLayout('live');
    for (const partition of partitions.next) {
      db.exec(`ALTER TABLE ${partition.table} RENAME TO ${partitionTable('live', partition.n)}`);
    }
    stmt.promotePartitions.run();
    stmt.finishRebuild.run();
    loadPartitions();
    rebuilding = null;
  }));

  type SearchShape = { excluded: boolean; source: boolean; after: boolean; before: boolean };
  const filterSql = (shape: SearchShape, when: string) =>
    [
      shape.source ? 'i.source_id = @sourceId' : null,
      shape.after ? `${when} >= @after` : null,
      shape.before ? `${when} < @before` : null,
    ].filter((part) => part !== null);

  /**
   * The ranking statement on one partition, by the shape of the query (which filters it has).
   * Scores within about 5 % of each other (the same words, slightly longer texts) count as equal and
   * are told apart by recency, as a reader expects: bm25 buckets on a log scale, since its magnitude
   * depends on how common the words are.
   */
  const matchStatement = (table: string, shape: SearchShape) => {
    const key = `${table} ${JSON.stringify(shape)}`;
    let statement = searchStatements.get(key);
    if (statement) return statement;
    const when = 'coalesce(i.published_at, i.first_seen_at)';
    const where = [`${table} MATCH @match AND f.rowid >= @floor`, ...filterSql(shape, when)];
    statement = db.prepare(`
      SELECT i.*, s.title AS source_title
      FROM ${table} f JOIN items i ON i.id = f.rowid JOIN sources s ON s.id = i.source_id
      WHERE ${where.join(' AND ')}
      ORDER BY round(ln(max(-bm25(${table}, ${titleWeight}, 1.0), 1e-12)) * 20) DESC, ${when} DESC, i.id DESC
      LIMIT @limit`);
    searchStatements.set(key, statement);
    return statement;
  };

  /** The statement for a query without words: the newest items its filters allow, none that it excludes. */
  const listStatement = (shape: SearchShape) => {
    const key = `list ${JSON.stringify(shape)}`;
    let statement = searchStatements.get(key);
    if (statement) return statement;
    const when = 'coalesce(i.published_at, i.first_seen_at)';
    const excludedIds = partitions.live.map(({ table }) => `SELECT rowid FROM ${table} WHERE ${table} MATCH @excluded`).join(' UNION ALL ');
    const where = [shape.excluded ? `i.id NOT IN (${excludedIds})` : null, ...filterSql(shape, when)].filter((part) => part !== null);
    statement = db.prepare(`
      SELECT i.*, s.title AS source_title FROM items i JOIN sources s ON s.id = i.source_id
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${when} DESC, i.id DESC
      LIMIT @limit OFFSET @offset`);
    searchStatements.set(key, statement);
    return statement;
  };

  /**
   * bm25 is computed for every match before the best are picked, so a common word (`مخيم`, `النظام`)
   * costs time in proportion to its matches. Ranking looks at the newest `rankedMatches` matches of a
   * partition only (ids grow with time): FTS5 walks a word's matches in id order and stops there, and
   * the ranking query takes the id floor as a range. A word rarer than that is ranked over all its
   * matches in the partition.
   */
  const rankingFloor = (table: string, match: string): number => {
    const key = `floor ${table}`;
    let statement = searchStatements.get(key);
    if (!statement) {
      statement = db.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH @match ORDER BY rowid DESC LIMIT 1 OFFSET @skip`);
      searchStatements.set(key, statement);
    }
    const row = statement.get({ match, skip: rankedMatches - 1 }) as Row | undefined;
    return row ? Number(row.rowid) : 0;
  };

  /**
   * Results are the best matches of the newest partition, then of the one before, and so on until
   * the page (and every page before it) is filled: a common word is answered from the newest
   * 100,000 articles, a rare one from all of them. The order depends only on the query and the
   * archive, so the pages of one search follow each other.
   */
  const searchItems = (query: IndexQuery, limit: number, offset: number): IndexHit[] => {
    if (limit === 0) return [];
    const { match, excluded } = toFts5Match(query);
    const shape: SearchShape = {
      excluded: excluded !== null,
      source: query.sourceId !== undefined,
      after: query.after !== undefined,
      before: query.before !== undefined,
    };
    const params: Record<string, unknown> = {};
    if (excluded !== null) params.excluded = excluded;
    if (query.sourceId !== undefined) params.sourceId = query.sourceId;
    if (query.after !== undefined) params.after = query.after.toISOString();
    if (query.before !== undefined) params.before = query.before.toISOString();
    let rows: Row[];
    if (match === null) {
      rows = listStatement(shape).all({ ...params, limit, offset }) as Row[];
    } else {
      const wanted = offset + limit;
      const found: Row[] = [];
      for (let i = partitions.live.length - 1; i >= 0 && found.length < wanted; i--) {
        const { table } = partitions.live[i]!;
        const floor = rankingFloor(table, match);
        found.push(...(matchStatement(table, shape).all({ ...params, match, floor, limit: wanted - found.length }) as Row[]));
      }
      rows = found.slice(offset, wanted);
    }
    return rows.map((row) => ({ ...toItem(row), bodyText: (row.body_text as string | null) ?? null }));
  };

  return {
    keepingLayout,
    addEntry(itemId, title, body) {
      makeRoomFor('live', itemId);
      onTable(partitionOf('live', itemId).table).insert.run(itemId, title, body);
      // During a rebuild both indexes get new items, so the new one is complete when swapped in.
      // Ids up to untilId already have their partition in the new layout.
      if (rebuilding) {
        if (itemId > rebuilding.untilId) makeRoomFor('next', itemId);
        writeEntry('next', itemId, title, body);
      }
    },
    removeEntry(itemId) {
      onTable(partitionOf('live', itemId).table).remove.run(itemId);
      if (rebuilding) onTable(partitionOf('next', itemId).table).remove.run(itemId);
    },
    async searchItems(query, { limit, offset = 0 }) {
      return searchItems(query, Math.max(0, Math.floor(limit)), Math.max(0, Math.floor(offset)));
    },
    async getIndexState(): Promise<IndexState> {
      const row = stmt.indexState.get() as Row;
      return { version: Number(row.version), rebuild: readRebuild() };
    },
    async beginIndexRebuild(version) {
      return beginIndexRebuild(version);
    },
    async listItemTexts(afterId, untilId, limit): Promise<ItemText[]> {
      return (stmt.itemTexts.all(afterId, untilId, limit) as Row[]).map((row) => ({
        id: Number(row.id),
        sourceId: Number(row.source_id),
        headline: String(row.headline),
        bodyText: (row.body_text as string | null) ?? null,
      }));
    },
    async countItemTexts(afterId, untilId) {
      const row = stmt.countItemTexts.get(afterId, untilId) as Row;
      return { items: Number(row.n), withoutBody: Number(row.without_body) };
    },
    async writeIndexBatch(entries, doneUntilId) {
      writeIndexBatch(entries, doneUntilId);
    },
    async finishIndexRebuild() {
      finishIndexRebuild();
    },
  };
}
