import { searchTokens } from '../text/index.js';
import type { ItemRecord, Store } from '../store/store.js';

/** Longest query we look at; a pasted article is cut here rather than refused. */
const maxQueryWords = 12;
const maxWordLength = 64;

/** Results shown on one page of an answer. */
export const searchPageSize = 5;

/** One result: the article, and a short snippet of its text around the words that matched. */
export interface SearchResult extends ItemRecord {
  /** Plain text (not HTML), at most ~160 characters, "…" where cut; empty when nothing fits. */
  snippet: string;
  /** The words of `snippet` that matched the query (to bold them), as they appear in it. */
  snippetMatches: string[];
}

export interface SearchOptions {
  /** 0-based page. */
  page?: number;
  pageSize?: number;
}

export type SearchOutcome =
  /** Nothing to look for (empty, or only syntax). */
  | { kind: 'empty' }
  | { kind: 'results'; items: SearchResult[]; page: number; hasMore: boolean };

/**
 * Finds the articles a person remembers. The query goes through the same normalisation as the
 * index (so `خسائر` finds `خـ.ـسائر`), and only words, never syntax, reach the store.
 */
export async function searchArticles(store: Store, query: string, options: SearchOptions = {}): Promise<SearchOutcome> {
  const page = Math.max(0, Math.floor(options.page ?? 0));
  const pageSize = options.pageSize ?? searchPageSize;
  let tokens = searchTokens(query).filter((token) => token.length <= maxWordLength);
  // A one-letter word (a stray `و`) narrows nothing when other words are there.
  if (tokens.some((token) => token.length > 1)) tokens = tokens.filter((token) => token.length > 1);
  tokens = tokens.slice(0, maxQueryWords);
  if (tokens.length === 0) return { kind: 'empty' };
  const found = await store.searchItems(tokens, (page + 1) * pageSize + 1);
  const items = found.slice(page * pageSize, (page + 1) * pageSize).map((item) => ({ ...item, snippet: '', snippetMatches: [] }));
  return { kind: 'results', items, page, hasMore: found.length > (page + 1) * pageSize };
}
