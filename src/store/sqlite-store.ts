import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { toFts5Match } from './fts5-query.js';
import { lockSqliteFile } from './sqlite-file-lock.js';
import { sqliteMigrations } from './sqlite-schema.js';
import type {
  ChatKind,
  ChatRecord,
  DeliveryRecord,
  DeliveryState,
  IndexEntry,
  IndexHit,
  IndexQuery,
  IndexRebuild,
  IndexState,
  ItemRecord,
  ItemText,
  NewItem,
  PollOutcome,
  RecordItemsResult,
  SourceRecord,
  SourceState,
  Store,
  SubscriptionRecord,
} from './store.js';

type Row = Record<string, unknown>;

function toSource(row: Row): SourceRecord {
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

function parseSignatures(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((line): line is string => typeof line === 'string') : [];
  } catch {
    return [];
  }
}

function toItem(row: Row): ItemRecord {
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

function toChat(row: Row): ChatRecord {
  return {
    id: Number(row.id),
    kind: row.kind as ChatKind,
    title: (row.title as string | null) ?? null,
    username: (row.username as string | null) ?? null,
  };
}

function toSubscription(row: Row): SubscriptionRecord {
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

/**
 * Opens (creating if needed) the SQLite store at `file`. The file's folder is created too.
 * @throws StoreInUseError when another process has the same file open.
 */
export function createSqliteStore(file: string, options: SqliteStoreOptions = {}): Store {
  const partitionSize = Math.max(1, Math.floor(options.indexPartitionSize ?? defaultIndexPartitionSize));
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const releaseLock = file === ':memory:' ? () => undefined : lockSqliteFile(file);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    releaseLock();
    throw err;
  }
  db.pragma('journal_mode = WAL');
  // The outbox's marks must survive a power cut, not only a crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');

  const migrate = db.transaction(() => {
    const version = Number(db.pragma('user_version', { simple: true }));
    for (let i = version; i < sqliteMigrations.length; i++) {
      db.exec(sqliteMigrations[i]!);
    }
    db.pragma(`user_version = ${sqliteMigrations.length}`);
  });
  migrate();

  const now = () => new Date().toISOString();

  const sourceSelect = `SELECT s.* FROM sources s`;
  const itemSelect = `
    SELECT i.*, s.title AS source_title FROM items i JOIN sources s ON s.id = i.source_id`;

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
        flood_polls = coalesce(@floodPolls, flood_polls)
      WHERE id = @id`),
    pollFailed: db.prepare(`
      UPDATE sources SET last_polled_at = @at, last_error = @error, consecutive_failures = consecutive_failures + 1,
        next_poll_at = coalesce(@nextPollAt, next_poll_at),
        state = coalesce(@state, state), state_reason = CASE WHEN @state IS NULL THEN state_reason ELSE @error END
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
    knownKeys: db.prepare(`SELECT key FROM items WHERE source_id = ? AND key IN (SELECT value FROM json_each(?))`),
    addItemCount: db.prepare(`UPDATE sources SET item_count = item_count + ? WHERE id = ?`),
    insertItem: db.prepare(`
      INSERT INTO items (source_id, key, headline, link, published_at, first_seen_at, body_text, text_version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, key) DO NOTHING`),
    // A chat subscribed both to this source and to "all" gets one post, in the topic of the
    // subscription that names the source.
    queueDeliveries: db.prepare(`
      INSERT INTO deliveries (item_id, chat_id, thread_id, state, not_before, created_at, updated_at)
      SELECT @itemId, sub.chat_id,
        (SELECT own.thread_id FROM subscriptions own
         WHERE own.chat_id = sub.chat_id AND (own.source_id = @sourceId OR own.source_id IS NULL) AND own.paused = 0
         ORDER BY own.source_id IS NULL LIMIT 1),
        'pending', @notBefore, @at, @at
      FROM subscriptions sub JOIN chats c ON c.id = sub.chat_id
      WHERE (sub.source_id = @sourceId OR sub.source_id IS NULL) AND sub.paused = 0 AND c.paused_reason IS NULL
      GROUP BY sub.chat_id ORDER BY min(sub.id)
      ON CONFLICT (item_id, chat_id) DO NOTHING`),
    latest: db.prepare(`${itemSelect} ORDER BY coalesce(i.published_at, i.first_seen_at) DESC, i.id DESC LIMIT ?`),
    recentBodies: db.prepare(`
      SELECT body_text FROM items WHERE source_id = ? AND body_text IS NOT NULL AND body_text <> '' ORDER BY id DESC LIMIT ?`),
    setSignatures: db.prepare(`UPDATE sources SET signatures = ? WHERE id = ?`),
    signatures: db.prepare(`SELECT signatures FROM sources WHERE id = ?`),
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
    partitions: db.prepare(`SELECT n, first_id FROM search_partitions WHERE layout = ? ORDER BY n`),
    addPartition: db.prepare(`INSERT INTO search_partitions (layout, n, first_id) VALUES (?, ?, ?)`),
    deletePartitions: db.prepare(`DELETE FROM search_partitions WHERE layout = ?`),
    promotePartitions: db.prepare(`UPDATE search_partitions SET layout = 'live' WHERE layout = 'next'`),
    nthItemId: db.prepare(`SELECT id FROM items WHERE id <= ? ORDER BY id LIMIT 1 OFFSET ?`),
    oldestWaiting: db.prepare(`SELECT min(created_at) AS t FROM deliveries WHERE state IN ('pending', 'sending')`),
    nextDue: db.prepare(`SELECT min(not_before) AS t FROM deliveries WHERE state = 'pending'`),
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

  const removeSource = db.transaction((id: number) => {
    for (const row of stmt.itemIdsOfSource.all(id) as Row[]) {
      const itemId = Number(row.id);
      onTable(partitionOf('live', itemId).table).remove.run(itemId);
      if (rebuilding) onTable(partitionOf('next', itemId).table).remove.run(itemId);
    }
    return stmt.deleteSource.run(id).changes > 0;
  });

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

  const recordItems = keepingLayout(db.transaction((sourceId: number, items: NewItem[], deliver: boolean): RecordItemsResult => {
    const at = now();
    const newItemIds: number[] = [];
    let queuedDeliveries = 0;
    for (const item of items) {
      const info = stmt.insertItem.run(
        sourceId, item.key, item.headline, item.link, item.publishedAt, at, item.bodyText ?? null, item.textVersion ?? 0,
      );
      if (info.changes === 0) continue;
      const itemId = Number(info.lastInsertRowid);
      newItemIds.push(itemId);
      makeRoomFor('live', itemId);
      onTable(partitionOf('live', itemId).table).insert.run(itemId, item.searchTitle, item.searchBody);
      // During a rebuild both indexes get new items, so the new one is complete when swapped in.
      // Ids up to untilId already have their partition in the new layout.
      if (rebuilding) {
        if (itemId > rebuilding.untilId) makeRoomFor('next', itemId);
        writeEntry('next', itemId, item.searchTitle, item.searchBody);
      }
      if (deliver) {
        queuedDeliveries += stmt.queueDeliveries.run({ itemId, sourceId, notBefore: Date.now(), at }).changes;
      }
    }
    if (newItemIds.length > 0) stmt.addItemCount.run(newItemIds.length, sourceId);
    return { newItemIds, queuedDeliveries };
  }));

  const subscribe = db.transaction((chatId: number, sourceIds: number[] | 'all', by: number | null, threadId: number | null) => {
    const at = now();
    const added: Array<number | null> = [];
    const targets = sourceIds === 'all' ? [null] : sourceIds;
    for (const sourceId of targets) {
      if (stmt.insertSubscription.run(chatId, sourceId, by, at, threadId).changes > 0) added.push(sourceId);
      // Subscribing again from another topic is how an admin moves the posts there.
      else stmt.moveSubscription.run(threadId, chatId, sourceId);
    }
    // Subscribing again is how an admin says "post here again" after the bot was re-added.
    stmt.resumeChat.run(chatId);
    stmt.resumeChatDeliveries.run(at, chatId);
    return { added };
  });

  const unsubscribe = db.transaction((chatId: number, sourceIds: number[] | 'all') => {
    if (sourceIds === 'all') return { removed: stmt.deleteAllSubscriptions.run(chatId).changes };
    let removed = 0;
    for (const sourceId of sourceIds) removed += stmt.deleteSubscription.run(chatId, sourceId).changes;
    return { removed };
  });

  const pauseChat = db.transaction((chatId: number, reason: string) => {
    const at = now();
    stmt.pauseChat.run(reason, at, chatId);
    stmt.pauseChatDeliveries.run(at, chatId);
  });

  const resumeChat = db.transaction((chatId: number) => {
    stmt.resumeChat.run(chatId);
    stmt.resumeChatDeliveries.run(now(), chatId);
  });

  const migrateChat = db.transaction((fromId: number, toId: number) => {
    const old = stmt.chatById.get(fromId) as Row | undefined;
    if (!old) return;
    if (!stmt.chatById.get(toId)) {
      // ON UPDATE CASCADE carries subscriptions and deliveries along.
      db.prepare(`UPDATE chats SET id = ?, kind = 'supergroup', updated_at = ? WHERE id = ?`).run(toId, now(), fromId);
      return;
    }
    db.prepare(`UPDATE OR IGNORE subscriptions SET chat_id = ? WHERE chat_id = ?`).run(toId, fromId);
    db.prepare(`UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?`).run(toId, fromId);
    db.prepare(`DELETE FROM chats WHERE id = ?`).run(fromId);
  });

  const claim = db.transaction((nowMs: number, limit: number, exclude: Set<number>): DeliveryRecord[] => {
    const at = now();
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

  let closed = false;

  return {
    async addSource({ url, feedUrl, title }) {
      const existing = stmt.sourceByUrl.get(url, url) as Row | undefined;
      if (existing) return { source: toSource(existing), created: false };
      const info = stmt.insertSource.run(url, feedUrl, title, now());
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
    async recordItems(sourceId, items, { deliver }) {
      return recordItems(sourceId, items, deliver);
    },
    async findKnownItemKeys(sourceId, keys) {
      const known = new Set<string>();
      // json_each keeps it one statement whatever the count; chunks bound the JSON text.
      for (let start = 0; start < keys.length; start += 1000) {
        const chunk = JSON.stringify(keys.slice(start, start + 1000));
        for (const row of stmt.knownKeys.all(sourceId, chunk) as Row[]) known.add(String(row.key));
      }
      return known;
    },
    async latestItems(limit) {
      return (stmt.latest.all(limit) as Row[]).map(toItem);
    },
    async searchItems(query, { limit, offset = 0 }) {
      return searchItems(query, Math.max(0, Math.floor(limit)), Math.max(0, Math.floor(offset)));
    },
    async recentBodyTexts(sourceId, limit) {
      return (stmt.recentBodies.all(sourceId, limit) as Row[]).map((row) => String(row.body_text));
    },
    async getSourceSignatures(sourceId) {
      return parseSignatures((stmt.signatures.get(sourceId) as Row | undefined)?.signatures);
    },
    async setSourceSignatures(sourceId, lines) {
      stmt.setSignatures.run(JSON.stringify(lines), sourceId);
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
    async upsertChat(chat) {
      stmt.upsertChat.run({ ...chat, at: now() });
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
    async claimDueDeliveries({ now: at, limit, excludeChatIds = [] }) {
      return claim(at.getTime(), limit, new Set(excludeChatIds));
    },
    async markDeliverySent(id, messageId) {
      stmt.markSent.run(messageId, now(), id);
    },
    async markDeliveryRetry(id, notBefore, error) {
      stmt.markRetry.run(notBefore.getTime(), error, now(), id);
    },
    async markDeliveryFailed(id, error) {
      stmt.markFailed.run(error, now(), id);
    },
    async requeueInterruptedDeliveries() {
      return stmt.requeue.run(now()).changes;
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
    async close() {
      if (closed) return;
      closed = true;
      db.close();
      releaseLock();
    },
  };
}
