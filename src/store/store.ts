/**
 * The one store interface, implemented by SQLite (store/sqlite/) and PostgreSQL (store/postgres/),
 * both held to it by the contract suite in tests/store/contract/ (hence every method is async even
 * where SQLite answers synchronously).
 */

export interface SourceRecord {
  id: number;
  /** The URL the admin gave (used to recognise a source added twice). */
  url: string;
  /** The feed URL actually polled (after redirects or discovery). */
  feedUrl: string;
  title: string | null;
  addedAt: string;
  lastPolledAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  etag: string | null;
  lastModified: string | null;
  itemCount: number;
  /** `paused` after too many failures in a row (a bot admin resumes it); `retired` after HTTP 410. */
  state: SourceState;
  /** Why the source is paused or retired (the last error). */
  stateReason: string | null;
  /** The feed's format as last read (rss, atom, rdf, json, wordpress). */
  format: string | null;
  /** sha256 of the last body read: a byte-identical body is not parsed again. */
  bodyHash: string | null;
  /** When the source is next due (the scheduler polls it at the first tick after this). */
  nextPollAt: Date;
  /** An interval a bot admin set; null means automatic. */
  intervalSeconds: number | null;
  /** When a poll last found an item never seen before. */
  lastNewItemAt: string | null;
  /** Polls in a row where nearly every entry was new (a feed that churns its ids). */
  floodPolls: number;
  /** The bot admins were told about the churning, so they are not told again. */
  floodNoticed: boolean;
  /** Fetch each new article's page to read its full text (feeds that carry only an excerpt). */
  fullText: boolean;
  /** The feed's `<ttl>` as last parsed: not polled more often than that. */
  ttlMinutes: number | null;
}

export type SourceState = 'active' | 'paused' | 'retired';

/** An item ready to be stored: display text and the normalised shadow text for the index. */
export interface NewItem {
  key: string;
  headline: string;
  link: string | null;
  publishedAt: string | null;
  /** Index tokens of the title (text/'s indexTokens; never shown). */
  searchTitle: string;
  /** Index tokens of the body (never shown). */
  searchBody: string;
  /**
   * The article's text as a reader sees it, boilerplate removed, capped (~16 KB): snippets are cut from
   * it and the index can be rebuilt from it when the word rules change.
   */
  bodyText?: string;
  /** The version of the text rules that made `bodyText` and the tokens (text/'s textRulesVersion). */
  textVersion?: number;
  /** One or two lead sentences of the article (text/'s makeSummary), at most about 280 characters. */
  summary?: string | null;
  /** The article's picture (media:content, an image enclosure, JSON Feed's image, or og:image): http(s), capped. */
  imageUrl?: string | null;
  /**
   * A hash of the title as the feed gave it, before any text rule: a later poll compares it to notice
   * that the source corrected the headline.
   */
  titleHash?: string | null;
}

/** One word of a query, with the forms it may match in the index (text/'s queryTerm). */
export interface IndexTerm {
  /** The normalised word as typed. */
  surface: string;
  /** Its light stem (equal to `surface` when the stemmer leaves it alone). */
  stem: string;
  /** Whether an indexed token that starts with `surface` matches too. */
  prefix: boolean;
  /**
   * The tokens the index holds for this word, in order (text/'s indexTokens of it: the word, its stem,
   * sometimes another reading). A phrase needs them: its words are consecutive counting these.
   * Default: the surface, then the stem when different.
   */
  indexForms?: string[];
}

/**
 * A search as plain data, whatever the backend: FTS5 on SQLite, a tsvector on PostgreSQL. Only the
 * store turns it into its own query language, quoting every word.
 */
export interface IndexQuery {
  /** Every term must match, in the title or the body, as its surface form, its stem, or its prefix. */
  terms: IndexTerm[];
  /** Every phrase must match: its words one after another. */
  phrases: IndexTerm[][];
  /** An item matching any of these (a word, or a phrase of several) is left out. */
  excluded: IndexTerm[][];
  sourceId?: number;
  /** Published (or, undated, first seen) at or after this instant. */
  after?: Date;
  /** Published (or first seen) before this instant. */
  before?: Date;
}

/** A search hit: the item and the text its snippet is cut from. */
export interface IndexHit extends ItemRecord {
  /** null for items stored before the body text was kept. */
  bodyText: string | null;
}

/** An item as the index is (re)built from it. */
export interface ItemText {
  id: number;
  sourceId: number;
  headline: string;
  /** null for items stored before the body text was kept: they are indexed from the headline only. */
  bodyText: string | null;
}

/** Index tokens computed for one item. */
export interface IndexEntry {
  id: number;
  title: string;
  body: string;
}

/** Which text rules the search index was built with, and any rebuild under way. */
export interface IndexState {
  /** The text rules version the live index was built with (1: before versions were recorded). */
  version: number;
  rebuild: IndexRebuild | null;
}

/** A rebuild in progress: a second index filled batch by batch, swapped in when complete. */
export interface IndexRebuild {
  version: number;
  /** Items up to this id are indexed by the rebuild; later ones are written to both indexes as they arrive. */
  untilId: number;
  /** The last item id written to the new index. */
  doneUntilId: number;
}

export interface ItemRecord {
  id: number;
  sourceId: number;
  sourceTitle: string | null;
  headline: string;
  link: string | null;
  publishedAt: string | null;
  firstSeenAt: string;
}

export type ChatKind = 'private' | 'group' | 'supergroup' | 'channel';

export interface ChatRecord {
  id: number;
  kind: ChatKind;
  title: string | null;
  username: string | null;
}

export interface SubscriptionRecord {
  chatId: number;
  /** null means every source, including those added later. */
  sourceId: number | null;
  sourceTitle: string | null;
  subscribedBy: number | null;
  paused: boolean;
  createdAt: string;
  /** The forum topic its posts go to; null: the chat itself. */
  threadId: number | null;
}

export type DigestMode = 'off' | 'hourly' | 'daily';
export type PostStyle = 'headline' | 'summary' | 'photo';
export type ChatLanguage = 'ar' | 'en';

/** How a chat receives its posts: one set of settings per chat, for every source it follows. */
export interface ChatSettings {
  /** Only items matching at least one of these are posted (normalised words or phrases); empty: every item. */
  includeWords: string[];
  /** Items matching any of these are never posted. */
  excludeWords: string[];
  /** off: each item is posted as it arrives; hourly or daily: one message lists the period's headlines. */
  digest: DigestMode;
  /** headline + link (default), headline + a short summary, or the item's picture with the headline as caption. */
  style: PostStyle;
  /** The language of the chat's posts and of the bot's replies there; null: each user's own, else the default. */
  language: ChatLanguage | null;
  linkPreview: boolean;
  /** Posts arrive without a notification sound (disable_notification). */
  silent: boolean;
  /** More posts than this in one hour turn the rest of that hour into one digest message. */
  burstLimit: number;
}

/** Some settings to change, or a function of the current settings that says which (see updateChatSettings). */
export type ChatSettingsPatch = Partial<ChatSettings> | ((current: ChatSettings) => Partial<ChatSettings>);

export const defaultChatSettings: Readonly<ChatSettings> = Object.freeze({
  includeWords: [],
  excludeWords: [],
  digest: 'off',
  style: 'headline',
  language: null,
  linkPreview: true,
  silent: false,
  burstLimit: 30,
});

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'paused';

/** A chat that receives a source's items: subscribed to it by name or to "all", not paused. */
export interface SourceSubscriber {
  chatId: number;
  /** The forum topic its posts go to (the subscription naming the source wins over "all"); null: the chat itself. */
  threadId: number | null;
  settings: ChatSettings;
}

/** What the pipeline decided for one new item and one chat: the outbox row recordItems writes. */
export interface PlannedDelivery {
  chatId: number;
  threadId: number | null;
  /** Not sent before this instant (now, or a digest's period end). */
  notBefore: Date;
  /** Listed in the chat's next digest message instead of posted alone. */
  digest: boolean;
}

/** A new item with the outbox rows the pipeline planned for it (none: stored and searchable only). */
export type ItemToRecord = NewItem & { deliveries?: readonly PlannedDelivery[] };

/**
 * `post`: one item as its own message. `digest`: several items of one chat in one message (every due
 * digest row of that chat and topic, oldest first).
 */
export type DeliveryKind = 'post' | 'digest';

/** One line of a digest message. */
export interface DigestEntry {
  itemId: number;
  headline: string;
  link: string | null;
  sourceTitle: string | null;
}

/**
 * One send the outbox claimed: a post (one row) or a digest (several rows of one chat), with what the
 * sender needs to format it. For a digest, the item fields are its first entry's.
 */
export interface DeliveryRecord {
  /** The first (oldest) outbox row it covers. */
  id: number;
  kind: DeliveryKind;
  /** Every outbox row this send covers, oldest first (`[id]` for a post): the marks take them all or some. */
  rowIds: number[];
  itemId: number;
  chatId: number;
  chatKind: ChatKind;
  attempts: number;
  headline: string;
  link: string | null;
  sourceTitle: string | null;
  /** The forum topic to post in (sendMessage's message_thread_id); null: the chat itself. */
  threadId: number | null;
  /** The item's short summary (NewItem.summary), for the summary style. */
  summary: string | null;
  /** The item's picture (NewItem.imageUrl), for the photo style. */
  imageUrl: string | null;
  /** How the chat wants its posts (style, link preview, silence, language…), as of the claim. */
  settings: ChatSettings;
  /** A digest's items, oldest first; empty for a post. */
  items: DigestEntry[];
  /**
   * Set when this post was already sent, as this message, and its item's headline was corrected since
   * (correctItem): the message is edited with the same formatting, never posted again. Absent or null: a post.
   */
  editMessageId?: number | null;
}

/** An item already stored for a source, as a poll checks it: is this entry new, or a corrected headline? */
export interface KnownItem {
  id: number;
  /** NewItem.titleHash as stored (null for items stored before titles were hashed). */
  titleHash: string | null;
  firstSeenAt: Date;
}

/** What a source's corrected headline changes in a stored item (the same fields a new item gets from text/). */
export interface ItemCorrection {
  headline: string;
  searchTitle: string;
  searchBody: string;
  titleHash: string | null;
  /** Omitted: kept. */
  summary?: string | null;
  /** Omitted: kept (with its textVersion). */
  bodyText?: string;
  textVersion?: number;
}

export interface CorrectItemResult {
  /** False when the item is gone (removed with its source meanwhile): nothing was changed. */
  found: boolean;
  /** The item's sent posts marked to be edited (a message id, and not a digest's line). */
  edits: number;
}

export interface RecordItemsResult {
  /** Items whose key had never been seen for this source. */
  newItemIds: number[];
  /** Outbox rows written for them (the planned deliveries of the items actually inserted, to chats still there and not paused). */
  queuedDeliveries: number;
}

/** What a poll of a source found; the pipeline decides it, the store records it. */
export type PollOutcome =
  | {
      ok: true;
      etag?: string | null;
      lastModified?: string | null;
      bodyHash?: string | null;
      /** The feed moved for good (301): poll it there from now on. */
      feedUrl?: string;
      title?: string | null;
      format?: string | null;
      /** The feed's `<ttl>` when the body was parsed (null: none); omitted when it was not parsed. */
      ttlMinutes?: number | null;
      /** Omitted: unchanged. */
      nextPollAt?: Date;
      /** New items this poll found (sets lastNewItemAt when > 0). */
      newItems?: number;
      floodPolls?: number;
    }
  | {
      ok: false;
      error: string;
      nextPollAt?: Date;
      /** `paused` after too many failures, `retired` when the feed is gone for good. */
      state?: Exclude<SourceState, 'active'>;
    };

/** Sources and their polling state. */
export interface SourceStore {
  /** Adds a source, or returns the existing one for the same URL (created: false). */
  addSource(input: { url: string; feedUrl: string; title: string | null }): Promise<{ source: SourceRecord; created: boolean }>;
  getSource(id: number): Promise<SourceRecord | null>;
  findSourceByUrl(url: string): Promise<SourceRecord | null>;
  listSources(): Promise<SourceRecord[]>;
  /** Removes a source with its items, subscriptions and undelivered posts. */
  removeSource(id: number): Promise<boolean>;
  recordPollOutcome(sourceId: number, outcome: PollOutcome, at?: Date): Promise<void>;
  /** Active sources due at `now`, the longest overdue first. */
  listDueSources(now: Date, limit: number): Promise<SourceRecord[]>;
  /** Pauses, retires or resumes a source; resuming clears its failures and makes it due at once. */
  setSourceState(id: number, state: SourceState, reason: string | null): Promise<boolean>;
  /** Sets the interval a bot admin chose (null: automatic); the next poll is moved accordingly. */
  setSourceInterval(id: number, intervalSeconds: number | null): Promise<boolean>;
  setSourceFullText(id: number, fullText: boolean): Promise<boolean>;
  markSourceFloodNoticed(id: number): Promise<void>;
}

/** Articles as stored, and what the pipeline learns from them. */
export interface ItemStore {
  /**
   * Stores the items never seen for this source and, for each one actually inserted, the outbox rows
   * the pipeline planned for it (`deliveries`), in one transaction, so a crash can never store an item
   * without its posts. Items already known (same key: a concurrent poll may have stored it first) are
   * left untouched and get no rows, so a repeated poll is harmless. A planned row for a chat that is
   * gone or paused by now is skipped, as is a second row for the same (item, chat).
   */
  recordItems(sourceId: number, items: readonly ItemToRecord[]): Promise<RecordItemsResult>;
  /**
   * Which of `keys` this source already has. Polls ask this before any text work, so a feed costs
   * what is new in it, not what it holds.
   */
  findKnownItemKeys(sourceId: number, keys: readonly string[]): Promise<Set<string>>;
  /** Like findKnownItemKeys (one query), with what a poll needs to notice a corrected headline. */
  findKnownItems(sourceId: number, keys: readonly string[]): Promise<Map<string, KnownItem>>;
  /**
   * The source corrected an item's headline: in one transaction, updates the item's headline, title
   * hash (and summary or body text when given), rewrites its index entry (in a rebuild under way
   * too), and marks each of its posts already sent as a message of its own to be edited: back to
   * pending with its message id (paused in a paused chat). A post being sent right now is edited
   * after it. Posts not sent yet need nothing: the sender reads the headline when it sends. When the
   * headline (and the summary, when given) come out the same, no edit is queued.
   */
  correctItem(itemId: number, correction: ItemCorrection): Promise<CorrectItemResult>;
  latestItems(limit: number): Promise<ItemRecord[]>;
  /** The body texts of a source's newest items (those that have one), newest first. */
  recentBodyTexts(sourceId: number, limit: number): Promise<string[]>;
  /**
   * Lines this source repeats across its items (its signature), as learned by the pipeline: kept out
   * of the index and the headlines. The feed's title is not among them (it is known at each poll).
   */
  getSourceSignatures(sourceId: number): Promise<string[]>;
  setSourceSignatures(sourceId: number, lines: string[]): Promise<void>;
}

/** The search index: queries, and rebuilding it when the word rules change. */
export interface SearchStore {
  /**
   * Items matching `query`, best first: bm25 (SQLite) or ts_rank_cd (PostgreSQL) with the title above
   * the body, the most recent first among equal scores. A large archive may rank recent articles
   * first and older ones after them (SQLite: by index partition of 100,000 items, each read only while
   * the page is not full; PostgreSQL: by runs of the newest 500 matches), so a common word costs about
   * the same whatever the archive's size. A query with no terms and no phrases
   * lists the newest items its filters allow. Never throws on what a user typed: every word is
   * quoted by the store.
   */
  searchItems(query: IndexQuery, page: { limit: number; offset?: number }): Promise<IndexHit[]>;
  getIndexState(): Promise<IndexState>;
  /**
   * Starts (or resumes, for the same version) building a new index for `version` beside the live one,
   * which keeps answering searches meanwhile. Items recorded from now on are written to both.
   */
  beginIndexRebuild(version: number): Promise<IndexRebuild>;
  /** Items with `afterId < id <= untilId`, by id, for the rebuild. */
  listItemTexts(afterId: number, untilId: number, limit: number): Promise<ItemText[]>;
  /** Items with `afterId < id <= untilId`, and how many of them have no body text. */
  countItemTexts(afterId: number, untilId: number): Promise<{ items: number; withoutBody: number }>;
  /** Writes a batch to the index being built and records how far it got (`doneUntilId`), in one transaction. */
  writeIndexBatch(entries: IndexEntry[], doneUntilId: number): Promise<void>;
  /** Swaps the completed new index in for the live one. */
  finishIndexRebuild(): Promise<void>;
}

/**
 * A change of which sources a chat receives, as the /manage menu's toggles make it; the steps apply in
 * this order: `dropAll`, then `add`, then `remove`.
 */
export interface ChatSourcesChange {
  /** Remove every subscription of the chat first (the "all" one and each source's). */
  dropAll?: boolean;
  /** Subscribe these (`'all'`: every source, present and future); one already subscribed moves to the topic. */
  add?: number[] | 'all';
  /** Unsubscribe these. */
  remove?: number[];
}

/** Which keyword list of a chat a question asks a word for (ChatSettings' includeWords or excludeWords). */
export type InputList = 'include' | 'exclude';

/** A question /manage asked a user: their next private message is a word for this chat's list. */
export interface OpenInput {
  chatId: number;
  list: InputList;
}

/** Chats, what they subscribe to, and how they want their posts. */
export interface ChatStore {
  upsertChat(chat: ChatRecord): Promise<void>;
  getChat(id: number): Promise<ChatRecord | null>;
  /**
   * `sourceIds: 'all'` subscribes to every source, present and future. Returns the ids that were not
   * already subscribed. `threadId` is the forum topic to post in (default: the chat itself); a source
   * already subscribed moves to it. Subscribing also resumes a paused chat.
   */
  subscribe(
    chatId: number,
    sourceIds: number[] | 'all',
    subscribedBy: number | null,
    options?: { threadId?: number | null },
  ): Promise<{ added: Array<number | null> }>;
  unsubscribe(chatId: number, sourceIds: number[] | 'all'): Promise<{ removed: number }>;
  /**
   * Changes which sources a chat receives in one transaction: all of `change` or, when anything fails
   * (a source in `add` that does not exist), none of it. New subscriptions are credited to
   * `subscribedBy` and post to `threadId` (default: the chat itself). Unlike subscribe, it never
   * resumes a paused chat: the pause, and the chat's waiting posts, stay as they are. `added` lists
   * the subscriptions made (as subscribe's), `removed` counts those taken away (dropAll's included).
   */
  setChatSources(
    chatId: number,
    change: ChatSourcesChange,
    options: { subscribedBy: number | null; threadId?: number | null },
  ): Promise<{ added: Array<number | null>; removed: number }>;
  listSubscriptions(chatId: number): Promise<SubscriptionRecord[]>;
  listChatsSubscribedBy(userId: number): Promise<Array<{ chat: ChatRecord; subscriptions: SubscriptionRecord[] }>>;
  /** Stops posting to a chat (the bot was removed or blocked); its pending posts are paused, not lost. */
  pauseChat(chatId: number, reason: string): Promise<void>;
  /** Posts to a paused chat again (the bot may post there again); its paused posts are queued again, none lost. */
  resumeChat(chatId: number): Promise<void>;
  /** Why posting to a chat is paused, or null when it is not (or the chat is unknown). */
  chatPausedReason(chatId: number): Promise<string | null>;
  /** A group became a supergroup: subscriptions and pending posts move to the new id. */
  migrateChat(fromId: number, toId: number): Promise<void>;
  /**
   * The chats that receive this source's items: one entry per chat subscribed to it by name or to
   * "all", neither the subscription nor the chat paused, in the order they subscribed, with the topic
   * of the subscription naming the source (else the "all" one's) and the chat's settings.
   */
  listSourceSubscribers(sourceId: number): Promise<SourceSubscriber[]>;
  /** The chat's settings (the defaults for a chat that never changed any, or an unknown chat). */
  getChatSettings(chatId: number): Promise<ChatSettings>;
  /**
   * Changes some of a known chat's settings and returns them all. A function patch is given the
   * settings as they are inside the store's transaction (no other change comes between its read and
   * the write), for a change that depends on them, such as adding a word to a list two admins edit.
   */
  updateChatSettings(chatId: number, patch: ChatSettingsPatch): Promise<ChatSettings>;
  /**
   * Asks `userId` a question (/manage's "send me the word"), open until `expiresAt`; it replaces any
   * earlier question of theirs. Kept in the store so that whichever process receives the answer
   * (webhook replicas) knows the question. Questions expired at `now` are deleted meanwhile, so the
   * store holds only the questions of the last few minutes.
   */
  askForInput(userId: number, input: OpenInput, expiresAt: Date, now: Date): Promise<void>;
  /** The question open for `userId` at `now`, or null (none, or expired). Leaves it open. */
  openInput(userId: number, now: Date): Promise<OpenInput | null>;
  /**
   * Closes `userId`'s question, if any. Returns whether there was one (even expired): of two
   * processes closing the same question, one gets true.
   */
  closeInput(userId: number): Promise<boolean>;
}

/** Most digest rows one claim gathers: a longer digest goes out as several, one after the other. */
export const maxDigestRows = 100;

/** The outbox: one row per (item, chat), drained to Telegram by delivery/. */
export interface OutboxStore {
  /**
   * Claims due pending deliveries, at most one send per chat, marking their rows `sending`. Posts go
   * oldest first per chat; a chat's digest rows keep their own order beside them, and all of its due
   * digest rows for one topic (up to {@link maxDigestRows}, the oldest) are claimed together as one
   * `digest` record.
   */
  claimDueDeliveries(options: { now: Date; limit: number; excludeChatIds?: number[] }): Promise<DeliveryRecord[]>;
  /**
   * Marks rows sent (a post's one row, or the rows of a digest message). A post whose item was
   * corrected while it was being sent goes back to pending instead, to be edited.
   */
  markDeliverySent(ids: number | readonly number[], messageId: number): Promise<void>;
  /** Puts rows still `sending` back to pending, due at `notBefore`. */
  markDeliveryRetry(ids: number | readonly number[], notBefore: Date, error: string): Promise<void>;
  markDeliveryFailed(ids: number | readonly number[], error: string): Promise<void>;
  /**
   * The edit of a sent post is over: done, unchanged, or refused for good (`error` recorded, e.g.
   * "message to edit not found"). The row is `sent` again with its message id, never posted anew;
   * a correction that arrived during the edit queues one more.
   */
  markDeliveryEdited(id: number, error: string | null): Promise<void>;
  /** Posts (not digest rows) queued for each of these chats since `since`; chats with none are absent. */
  countRecentPosts(chatIds: readonly number[], since: Date): Promise<Map<number, number>>;
  /**
   * At start: rows a stopped or crashed process left in `sending` are sent again (at-least-once).
   * Where several processes share the store, only rows whose lease expired (never another live
   * process's in-flight send). Returns how many.
   */
  requeueInterruptedDeliveries(): Promise<number>;
  countDeliveries(): Promise<Record<DeliveryState, number>>;
  /** When the oldest delivery still waiting (pending or sending) was queued, for /status. */
  oldestWaitingDeliveryAt(): Promise<Date | null>;
  /** The earliest time a pending delivery becomes due, for the sender's timer. */
  nextDeliveryDueAt(): Promise<Date | null>;
}

/** How the shared send slots are handed out (delivery/ decides the numbers: Telegram's limits). */
export interface SendPace {
  /** Milliseconds between two consecutive slots, across every process (1000 / messages per second). */
  spacingMs: number;
  /** Slots are granted at most this far ahead of `now`, so no process hoards the next seconds. */
  horizonMs: number;
  /**
   * Slots are granted this many at a time, or none (fewer only when fewer are asked for), so a
   * process makes one round trip per few sends, not per send. Default 1.
   */
  batch?: number;
}

/** One send that wants a slot: its chat, and how long after this send the chat's next may start. */
export interface SlotRequest {
  chatId: number;
  /** The chat's next send may start no earlier than this long after this one's slot. */
  chatGapMs: number;
}

/** Send slots granted: start times (ms since the epoch), evenly spaced, for the first `slots.length` requests. */
export interface SendSlotGrant {
  slots: number[];
  /** When none was granted: how long until asking again can succeed. */
  retryInMs: number;
}

/** The right to consume getUpdates (Telegram allows one consumer per token). */
export interface UpdatesLeadership {
  /** Resolves when the right was lost (the database connection holding it closed). */
  readonly lost: Promise<void>;
  /** Gives the right up; another process may take it at once. */
  release(): Promise<void>;
}

/**
 * What several processes on one store share, so each poll and each post happens once and Telegram's
 * limits hold across all of them: leases (a row says who holds it until when; a crash costs at most
 * one lease period), send slots, and the getUpdates lease. On SQLite one process holds the file, so
 * each of these is trivially this process's; PostgreSQL coordinates through the database.
 */
export interface CoordinationStore {
  /** This process's name in every lease it takes: random, made when the store was opened. */
  readonly ownerId: string;
  /** How long a lease lasts unless renewed ({@link renewLeases}). */
  readonly leaseMs: number;
  /** True when no other process can use this store (SQLite's file lock). */
  readonly exclusive: boolean;
  /**
   * Active sources due by `dueBy` (default `now`) that nobody holds (or whose holder's lease expired
   * at `now`), the longest overdue first, leased to this process until `now` + leaseMs;
   * recordPollOutcome releases the lease. Two processes never get the same source while its lease
   * runs. A poll cycle passes its start as `dueBy`, so a source due again during the cycle waits for
   * the next one instead of keeping the cycle open.
   */
  claimDueSources(now: Date, limit: number, dueBy?: Date): Promise<SourceRecord[]>;
  /** Extends every lease this process holds (sources being polled, posts being sent) to `now` + leaseMs. */
  renewLeases(now: Date): Promise<void>;
  /**
   * Posts left `sending` by a process whose lease expired (it died mid-send) go back to pending, to
   * be sent again; another live process's sends are never touched. Returns how many.
   */
  takeOverExpiredDeliveries(now: Date): Promise<number>;
  /**
   * Slots for sends, from one budget shared by every process (Telegram's overall rate): evenly spaced
   * start times at least `pace.spacingMs` apart, at most `pace.horizonMs` ahead, for the first requests
   * in order (maybe none). Each granted request's chat may not be claimed again before its slot plus its
   * `chatGapMs` (PostgreSQL keeps that with the chat; a single process paces its chats in memory).
   */
  takeSendSlots(requests: readonly SlotRequest[], now: Date, pace: SendPace): Promise<SendSlotGrant>;
  /** Takes the getUpdates lease if no live process holds it; null when another does. */
  leadUpdates(): Promise<UpdatesLeadership | null>;
  /**
   * Takes the right to rebuild the search index if no live process holds it; null when another does
   * (several replicas starting after a change of the word rules rebuild it once, not each). Freed by
   * `release` or when the process's connection ends.
   */
  holdIndexRebuild(): Promise<UpdatesLeadership | null>;
}

/** The one store interface every backend implements, area by area. */
export interface Store extends SourceStore, ItemStore, SearchStore, ChatStore, OutboxStore, CoordinationStore {
  close(): Promise<void>;
}
