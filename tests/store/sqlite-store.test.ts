import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreInUseError } from '../../src/store/open-store.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/bot-process.js';

// What only the SQLite store does; what every store does is in contract/ (sqlite.contract.test.ts).

describe('the SQLite store', () => {
  let file: string;
  let store: Store;

  beforeEach(() => {
    file = path.join(makeTempDir(), 'nested', 'folder', 'nashra.sqlite');
    store = createSqliteStore(file);
  });
  afterEach(async () => {
    await store.close();
  });

  it('creates its folder and keeps data across a reopen', async () => {
    const { source } = await store.addSource({ url: 'https://a.example/feed', feedUrl: 'https://a.example/feed', title: 'A' });
    await store.close();
    store = createSqliteStore(file);
    expect((await store.getSource(source.id))?.title).toBe('A');
  });
});

describe('the SQLite store file lock', () => {
  it('refuses a second opening of the same file while the first is open, and allows it after close', async () => {
    const file = path.join(makeTempDir(), 'locked.sqlite');
    const first = createSqliteStore(file);
    expect(() => createSqliteStore(file)).toThrow(StoreInUseError);
    expect(() => createSqliteStore(file)).toThrow(/in use by another nashra process/);
    await first.close();
    const second = createSqliteStore(file);
    await second.close();
  });
});
