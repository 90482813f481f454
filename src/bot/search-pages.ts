import { randomBytes } from 'node:crypto';

/**
 * Who asked for a paged answer: a user, or the chat itself (a channel post, or an anonymous group
 * administrator writing as the group), whose real sender Telegram does not say.
 */
export type SearchAsker = { kind: 'user'; userId: number } | { kind: 'chat' };

/** A search answer whose page buttons may still be pressed. */
export interface SearchPageState {
  query: string;
  chatId: number;
  /** Only they may turn the pages (see {@link mayTurnPages}). */
  askedBy: SearchAsker;
  /** The message the answer went out as; unset until it is sent. */
  messageId: number | null;
  /** The page the message shows now (0-based). */
  page: number;
  createdAt: number;
}

/** What a button press finds. */
export type PageLookup =
  | { kind: 'found'; state: SearchPageState }
  /** Unknown id: the answer is too old, was pushed out, or predates a restart. */
  | { kind: 'expired' }
  /** The id exists but belongs to another message (a copied or forged button). */
  | { kind: 'foreign' };

export interface SearchPageStoreOptions {
  /** How long the buttons of an answer work, in ms (default 30 min). */
  ttlMs?: number;
  /** Most answers remembered at once; the oldest go first (default 10,000). */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Keeps each paged search answer's query on the server, keyed by a short random id, so that a
 * button carries only `id:page`: callback_data holds 64 bytes, and a query is the user's own
 * words, which do not belong in data every client of the chat can read. Memory is bounded by a
 * cap and an expiry; a lost entry only means the user searches again.
 */
export class SearchPageStore {
  private readonly entries = new Map<string, SearchPageState>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: SearchPageStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Remembers a new answer in a chat, asked by `askedBy`, and returns its id (8 URL-safe characters). */
  create(query: string, chatId: number, askedBy: SearchAsker): string {
    this.dropExpired();
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    let id = randomBytes(6).toString('base64url');
    while (this.entries.has(id)) id = randomBytes(6).toString('base64url');
    this.entries.set(id, { query, chatId, askedBy, messageId: null, page: 0, createdAt: this.now() });
    return id;
  }

  /** Records the message an answer was sent as: only that message's buttons will work. */
  bind(id: string, messageId: number): void {
    const state = this.entries.get(id);
    if (state) state.messageId = messageId;
  }

  /** Forgets an answer (it could not be sent). */
  delete(id: string): void {
    this.entries.delete(id);
  }

  /** The answer behind a pressed button in (chatId, messageId). */
  lookup(id: string, chatId: number, messageId: number): PageLookup {
    const state = this.entries.get(id);
    if (!state || this.isExpired(state)) {
      this.entries.delete(id);
      return { kind: 'expired' };
    }
    if (state.chatId !== chatId || state.messageId !== messageId) return { kind: 'foreign' };
    return { kind: 'found', state };
  }

  private isExpired(state: SearchPageState): boolean {
    return this.now() - state.createdAt >= this.ttlMs;
  }

  /** Entries are in creation order, so the expired ones are at the front. */
  private dropExpired(): void {
    for (const [id, state] of this.entries) {
      if (!this.isExpired(state)) break;
      this.entries.delete(id);
    }
  }
}

/**
 * Whether whoever pressed a page button may turn the pages of this answer: in a group, anyone can
 * press anyone's buttons, and an edit changes the message for everyone. The user who searched may;
 * for an answer asked as the chat itself, any administrator of the chat may (`isChatAdmin`, asked
 * only then).
 */
export async function mayTurnPages(
  askedBy: SearchAsker,
  presserId: number,
  isChatAdmin: (userId: number) => Promise<boolean>,
): Promise<boolean> {
  if (askedBy.kind === 'user') return askedBy.userId === presserId;
  return isChatAdmin(presserId);
}

const callbackPrefix = 'sp';

/** The callback_data of a page button: `sp:<id>:<page>`, well under Telegram's 64 bytes. */
export function pageButtonData(id: string, page: number): string {
  return `${callbackPrefix}:${id}:${page}`;
}

/** Matches the callback_data of every page button, including malformed ones (answered politely). */
export const pageButtonPattern = /^sp:/;

/** Reads a page button's callback_data; null when it is not one we make. */
export function parsePageButtonData(data: string): { id: string; page: number } | null {
  const match = /^sp:([A-Za-z0-9_-]{8}):(\d{1,4})$/.exec(data);
  if (!match) return null;
  return { id: match[1]!, page: Number(match[2]) };
}
