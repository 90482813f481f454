import type { NewItem, Store } from '../../../src/store/store.js';

/** What a test may ask of the store it gets (SQLite reads it; PostgreSQL has no partitions). */
export interface StoreTestOptions {
  /** Items per SQLite index partition: a few, so a handful of items spans several. */
  indexPartitionSize?: number;
}

/** A store made for one test, and how to open that same store again once it is closed. */
export interface OpenedStore {
  store: Store;
  reopen(): Promise<Store>;
}

/** One backend as the contract suite sees it: it only ever makes new, empty stores. */
export interface StoreBackend {
  create(options?: StoreTestOptions): Promise<OpenedStore>;
}

/** An item whose title is also its index tokens (lowercased, as text/ would give them). */
export function item(key: string, headline = `headline ${key}`, searchBody = ''): NewItem {
  return { key, headline, link: `https://example.com/${key}`, publishedAt: null, searchTitle: headline.toLowerCase(), searchBody };
}

/**
 * Opens a new store per test and closes every store a test opened after it: `current()` is the
 * test's store, `reopen()` closes it and opens the same store again.
 */
export function storePerTest(backend: StoreBackend, options?: StoreTestOptions) {
  let opened: OpenedStore | null = null;
  let store: Store | null = null;
  return {
    async open(): Promise<Store> {
      opened = await backend.create(options);
      store = opened.store;
      return store;
    },
    /** The store the last open() or reopen() gave. */
    current(): Store {
      if (!store) throw new Error('no store is open');
      return store;
    },
    async reopen(): Promise<Store> {
      await store?.close();
      store = await opened!.reopen();
      return store;
    },
    async close(): Promise<void> {
      await store?.close();
      store = null;
      opened = null;
    },
  };
}
