import type { IndexHit, IndexQuery, IndexTerm, ItemRecord, Store } from '../store/store.js';
import { makeSnippet } from './make-snippet.js';
import { parseQuery } from './parse-query.js';
import { toIndexQuery } from './to-index-query.js';

/** Results shown on one page of an answer. */
export const searchPageSize = 5;
/** Pages beyond this are not offered: nobody reads the 200th result, and deep offsets cost. */
const maxPage = 40;

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
  /** Nothing to look for (empty, only syntax, or only exclusions). */
  | { kind: 'empty' }
  | { kind: 'results'; items: SearchResult[]; page: number; hasMore: boolean };

/**
 * Finds the articles a person remembers. The query (`words`, `"a phrase"`, `-word`, `source:<id>`,
 * `after:2026-01-01`, `before:…`) is parsed as plain data, each word goes through the same rules as
 * the index (so `خسائر` finds `خـ.ـسائر` and `بخسائرها`), and only words, never syntax, reach the store.
 * A query with only filters lists the newest articles they allow. Never throws on what a user typed.
 */
export async function searchArticles(store: Store, query: string, options: SearchOptions = {}): Promise<SearchOutcome> {
  const page = Math.min(maxPage, Math.max(0, Math.floor(options.page ?? 0)));
  const pageSize = Math.max(1, Math.min(50, Math.floor(options.pageSize ?? searchPageSize)));
  const indexQuery = toIndexQuery(parseQuery(query));
  const hasWords = indexQuery.terms.length > 0 || indexQuery.phrases.length > 0;
  const hasFilters = indexQuery.sourceId !== undefined || indexQuery.after !== undefined || indexQuery.before !== undefined;
  if (!hasWords && !hasFilters) return { kind: 'empty' };
  const found = await findPage(store, indexQuery, pageSize, page);
  const highlighted = [...indexQuery.terms, ...indexQuery.phrases.flat()];
  const items = found.slice(0, pageSize).map((hit) => toResult(hit, highlighted));
  return { kind: 'results', items, page, hasMore: found.length > pageSize && page < maxPage };
}

/**
 * Whole words first: a word's surface form and its stem. Prefixes (`معار` finding `معارك`) are used
 * only when whole words fill less than a page, since an FTS5 prefix query reads every article the
 * prefix matches (in each index partition it reads) before ranking any. The choice depends only on
 * the query and the archive, so every page of one search uses the same one.
 */
async function findPage(store: Store, query: IndexQuery, pageSize: number, page: number): Promise<IndexHit[]> {
  const wanted = { limit: pageSize + 1, offset: page * pageSize };
  if (!query.terms.some((term) => term.prefix)) return store.searchItems(query, wanted);
  const wholeWords: IndexQuery = { ...query, terms: query.terms.map((term) => ({ ...term, prefix: false })) };
  // On the first page the whole-word answer is the page itself when it is full: one search, not two.
  const first = await store.searchItems(wholeWords, page === 0 ? wanted : { limit: pageSize, offset: 0 });
  if (first.length < pageSize) return store.searchItems(query, wanted);
  return page === 0 ? first : store.searchItems(wholeWords, wanted);
}

function toResult(hit: IndexHit, terms: IndexTerm[]): SearchResult {
  const { bodyText, ...item } = hit;
  return { ...item, ...makeSnippet(bodyText, terms) };
}
