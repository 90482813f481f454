import { searchTokens } from '../text/index.js';
import type { ItemRecord, Store } from '../store/store.js';

/** Longest query we look at; a pasted article is cut here rather than refused. */
const maxQueryWords = 12;
const maxWordLength = 64;

export type SearchOutcome = { kind: 'empty' } | { kind: 'results'; items: ItemRecord[] };

/**
 * Finds the articles a person remembers. The query goes through the same normalisation as the
 * index (so `خسائر` finds `خـ.ـسائر`), and only words, never syntax, reach the store.
 */
export async function searchArticles(store: Store, query: string, limit = 5): Promise<SearchOutcome> {
  let tokens = searchTokens(query).filter((token) => token.length <= maxWordLength);
  // A one-letter word (a stray `و`) narrows nothing when other words are there.
  if (tokens.some((token) => token.length > 1)) tokens = tokens.filter((token) => token.length > 1);
  tokens = tokens.slice(0, maxQueryWords);
  if (tokens.length === 0) return { kind: 'empty' };
  return { kind: 'results', items: await store.searchItems(tokens, limit) };
}
