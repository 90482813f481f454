/**
 * Schema migrations for the SQLite store, applied in order; `user_version` records how far a file has come.
 * A migration is never edited once released: add a new one instead.
 */
export const sqliteMigrations: readonly string[] = [
  `
  CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    feed_url TEXT NOT NULL,
    title TEXT,
    added_at TEXT NOT NULL,
    last_polled_at TEXT,
    last_success_at TEXT,
    last_error TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT
  );

  CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    headline TEXT NOT NULL,
    link TEXT,
    published_at TEXT,
    first_seen_at TEXT NOT NULL,
    UNIQUE (source_id, key)
  );
  CREATE INDEX items_by_recency ON items (coalesce(published_at, first_seen_at) DESC, id DESC);

  -- The index holds normalised shadow text only; display text stays in items.
  CREATE VIRTUAL TABLE items_fts USING fts5 (
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
  );

  CREATE TABLE chats (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT,
    username TEXT,
    paused_reason TEXT,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
    source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
    subscribed_by INTEGER,
    paused INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  -- source_id NULL means "every source"; coalesce makes that row unique too.
  CREATE UNIQUE INDEX subscriptions_unique ON subscriptions (chat_id, coalesce(source_id, 0));
  CREATE INDEX subscriptions_by_source ON subscriptions (source_id);
  CREATE INDEX subscriptions_by_user ON subscriptions (subscribed_by);

  -- The outbox: one row per (item, chat), written in the same transaction as the item.
  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'paused')),
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL,
    message_id INTEGER,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (item_id, chat_id)
  );
  CREATE INDEX deliveries_open_by_chat ON deliveries (chat_id, id) WHERE state IN ('pending', 'sending');
  CREATE INDEX deliveries_due ON deliveries (not_before) WHERE state = 'pending';
  `,
  `
  -- Issue 11: per-source schedule and health. Times are milliseconds since the epoch where the
  -- scheduler compares them (next_poll_at), ISO text where people read them.
  ALTER TABLE sources ADD COLUMN state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'retired'));
  ALTER TABLE sources ADD COLUMN state_reason TEXT;
  ALTER TABLE sources ADD COLUMN format TEXT;
  ALTER TABLE sources ADD COLUMN body_hash TEXT;
  ALTER TABLE sources ADD COLUMN next_poll_at INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sources ADD COLUMN interval_seconds INTEGER;
  ALTER TABLE sources ADD COLUMN last_new_item_at TEXT;
  ALTER TABLE sources ADD COLUMN flood_polls INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sources ADD COLUMN flood_noticed INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sources ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sources ADD COLUMN ttl_minutes INTEGER;
  CREATE INDEX sources_due ON sources (next_poll_at) WHERE state = 'active';
  -- Items are kept for good (an item that leaves a feed and returns is not posted again), so the
  -- count per source is kept as a column instead of counted over every listing.
  ALTER TABLE sources ADD COLUMN item_count INTEGER NOT NULL DEFAULT 0;
  UPDATE sources SET item_count = (SELECT count(*) FROM items i WHERE i.source_id = sources.id);
  `,
  `
  -- Issue 12: the index as data. Each item keeps the text the index is made from, so the index can be
  -- rebuilt when the word rules change; items stored before have no body text (NULL) and version 0.
  ALTER TABLE items ADD COLUMN body_text TEXT;
  ALTER TABLE items ADD COLUMN text_version INTEGER NOT NULL DEFAULT 0;
  -- Lines a source repeats across its items (JSON array of strings), learned by the pipeline.
  ALTER TABLE sources ADD COLUMN signatures TEXT NOT NULL DEFAULT '[]';
  -- One row: the text rules version the live index was built with (1: the rules before versions
  -- existed), and a rebuild in progress, if any (filling items_fts_next up to rebuild_until_id).
  CREATE TABLE search_index (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    rebuild_version INTEGER,
    rebuild_until_id INTEGER,
    rebuild_done_until_id INTEGER
  );
  INSERT INTO search_index (id, version) VALUES (1, 1);
  `,
  `
  -- Issue 13: forum topics. A subscription made inside a topic posts to that topic (NULL: the chat
  -- itself); each queued post carries the topic it was queued for, so a later change of topic does
  -- not move posts already waiting.
  ALTER TABLE subscriptions ADD COLUMN thread_id INTEGER;
  ALTER TABLE deliveries ADD COLUMN thread_id INTEGER;
  `,
  `
  -- Issue 12, search at 1,000,000 articles: the index is split by item id into partitions
  -- (items_fts_p0, items_fts_p1, …), so a search reads a common word's matches in the newest
  -- partition only. 'live' partitions answer searches; 'next' ones are being rebuilt and replace
  -- them when complete. Partition n holds the ids from its first_id up to the next one's.
  -- The single index of a store made before becomes partition 0; the next rebuild splits it.
  CREATE TABLE search_partitions (
    layout TEXT NOT NULL CHECK (layout IN ('live', 'next')),
    n INTEGER NOT NULL,
    first_id INTEGER NOT NULL,
    PRIMARY KEY (layout, n)
  ) WITHOUT ROWID;
  ALTER TABLE items_fts RENAME TO items_fts_p0;
  INSERT INTO search_partitions (layout, n, first_id) VALUES ('live', 0, 0);
  -- A rebuild under way restarts into partitions.
  DROP TABLE IF EXISTS items_fts_next;
  UPDATE search_index SET rebuild_done_until_id = 0 WHERE rebuild_version IS NOT NULL;
  -- An archive larger than one partition (100,000 items) is marked as built by rules older than
  -- any (version 0), so the app rebuilds it in the background at its next start, into partitions.
  UPDATE search_index SET version = 0 WHERE (SELECT count(*) FROM items) > 100000;
  `,
  `
  -- Issue 13: how each chat wants its posts (filters, digest, style, language, preview, silence, burst
  -- limit), as one JSON object read through the store's defaults: a new setting needs no migration.
  ALTER TABLE chats ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
  `,
  `
  -- Issue 13: what a post may show beyond its headline (a short summary, a picture), the raw title's
  -- hash (to notice a corrected headline), and which queued rows wait for the chat's next digest
  -- message instead of being posted alone (digest chats, and the excess of a burst).
  ALTER TABLE items ADD COLUMN summary TEXT;
  ALTER TABLE items ADD COLUMN image_url TEXT;
  ALTER TABLE items ADD COLUMN title_hash TEXT;
  ALTER TABLE deliveries ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;
  -- Posts and digests keep their order per chat each on their own: a digest due at the end of the
  -- hour never holds back a post queued after it.
  DROP INDEX deliveries_open_by_chat;
  CREATE INDEX deliveries_open_by_chat ON deliveries (chat_id, digest, id) WHERE state IN ('pending', 'sending');
  -- Posts queued for a chat in the last hour (bursts).
  CREATE INDEX deliveries_by_chat_created ON deliveries (chat_id, created_at);
  `,
  `
  -- Issue 13 §4: a post whose item's headline the source corrected is edited in place. Its row goes
  -- back to 'pending' keeping its message_id (a pending row with a message_id is an edit, never a new
  -- post); edit_wanted marks a correction that came while the row was being sent, so that send is
  -- followed by an edit with the corrected headline.
  ALTER TABLE deliveries ADD COLUMN edit_wanted INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- Issue 14: source leases. A poll is claimed by one process until lease_until (ms since the epoch),
  -- renewed while it runs and released when its outcome is recorded, so a cycle never starts a source
  -- twice. One process holds a SQLite file, so another owner's lease is from a process that is gone.
  ALTER TABLE sources ADD COLUMN lease_owner TEXT;
  ALTER TABLE sources ADD COLUMN lease_until INTEGER;
  CREATE INDEX sources_leased ON sources (lease_owner) WHERE lease_owner IS NOT NULL;
  `,
  `
  -- Issue 14: /manage's open questions ("send me the word"), one per user, in the store so that any
  -- process may receive the answer. expires_at in ms since the epoch; expired rows are deleted each
  -- time a question is asked, so the table holds only the last few minutes' questions.
  CREATE TABLE pending_inputs (
    user_id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('include', 'exclude')),
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX pending_inputs_expiry ON pending_inputs (expires_at);
  `,
];
