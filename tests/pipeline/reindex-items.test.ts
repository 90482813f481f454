import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createCpuPool, createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import { reindexItems, type ReindexProgress } from '../../src/pipeline/reindex-items.js';
import { toNewItems } from '../../src/pipeline/to-new-item.js';
import { searchArticles } from '../../src/search/search-articles.js';
import { sqliteMigrations } from '../../src/store/sqlite/schema.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { textRulesVersion } from '../../src/text/index.js';
import { makeTempDir } from '../helpers/bot-process.js';

/** A pino logger writing into an array, to read what the rebuild said. */
function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

const links = async (store: Store, query: string) => {
  const outcome = await searchArticles(store, query, { pageSize: 50 });
  return outcome.kind === 'results' ? outcome.items.map((item) => item.link) : outcome.kind;
};

/** A store file as issue 11 left it: no body text, the index made by the old rules (no stems). */
function writeIssue11Store(file: string): void {
  const db = new Database(file);
  for (const migration of sqliteMigrations.slice(0, 2)) db.exec(migration);
  db.pragma('user_version = 2');
  db.prepare(`INSERT INTO sources (id, url, feed_url, title, added_at) VALUES (1, 'u', 'u', 'S', '2025-01-01')`).run();
  const item = db.prepare(`INSERT INTO items (id, source_id, key, headline, link, first_seen_at) VALUES (?, 1, ?, ?, ?, '2025-01-01')`);
  const fts = db.prepare(`INSERT INTO items_fts (rowid, title, body) VALUES (?, ?, ?)`);
  item.run(1, 'a', 'روسيا تقر بخسائرها في ريف إدلب', 'https://x.example/a');
  fts.run(1, 'روسيا تقر بخسائرها في ريف ادلب', 'كلمهمنالنصالقديم');
  db.close();
}

describe('rebuilding the search index', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('re-indexes a store from before issue 12 from its headlines, says so, and then finds inflected forms', async () => {
    const file = path.join(makeTempDir(), 'old.sqlite');
    writeIssue11Store(file);
    const store = createSqliteStore(file);
    stores.push(store);
    // The old index answers until the rebuild: the body word is there, the stem is not.
    expect(await links(store, 'كلمةمنالنصالقديم')).toEqual(['https://x.example/a']);
    const { logger, lines } = recordingLogger();
    const cpu = createInProcessCpu();
    const result = await reindexItems({ store, cpu, logger }, { batchSize: 1 });
    expect(result).toMatchObject({ rebuilt: true, version: textRulesVersion, items: 1, headlineOnly: 1 });
    expect(lines.some((line) => line.msg === 'items stored before their text was kept are indexed from their headline only' && line.items === 1)).toBe(true);
    expect(await store.getIndexState()).toEqual({ version: textRulesVersion, rebuild: null });
    expect(await links(store, 'خسائر')).toEqual(['https://x.example/a']);
    // The old body text was never kept: it is gone from the index.
    expect(await links(store, 'كلمةمنالنصالقديم')).toEqual([]);
    // Current: nothing to do until forced.
    expect(await reindexItems({ store, cpu, logger })).toEqual({ rebuilt: false, reason: 'current', done: 0 });
  });

  it('rebuilds on the worker pool in batches, reporting progress and items per second', async () => {
    const store = createSqliteStore(path.join(makeTempDir(), 'r.sqlite'));
    stores.push(store);
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'مدونة' });
    const entries = Array.from({ length: 120 }, (_, i) => ({
      key: `k${i}`,
      title: `خبر رقم ${i}`,
      link: `https://x.example/${i}`,
      html: `<p>وصلت القافلة ${i} إلى المخيمات في الشمال.</p>`,
      publishedAt: null,
    }));
    await store.recordItems(source.id, toNewItems(entries));
    const pool = createCpuPool({ threads: 1 });
    try {
      const progress: ReindexProgress[] = [];
      const result = await reindexItems(
        { store, cpu: pool, logger: pino({ level: 'silent' }) },
        { batchSize: 50, force: true, onProgress: (p) => progress.push(p) },
      );
      expect(result).toMatchObject({ rebuilt: true, items: 120, headlineOnly: 0 });
      expect(progress.map((p) => p.done)).toEqual([50, 100, 120]);
      expect(progress.every((p) => p.total === 120 && p.itemsPerSecond >= 0)).toBe(true);
      expect(await links(store, 'مخيم')).toHaveLength(50);
      expect(await links(store, '"القافلة 7 الي"')).toEqual(['https://x.example/7']);
    } finally {
      await pool.close();
    }
  });

  it('stops between batches when asked and resumes where it stopped', async () => {
    const store = createSqliteStore(path.join(makeTempDir(), 's.sqlite'));
    stores.push(store);
    const { source } = await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' });
    await store.recordItems(
      source.id,
      toNewItems(Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, title: `convoy ${i}`, link: `https://x.example/${i}`, html: '', publishedAt: null }))),
    );
    const abort = new AbortController();
    const deps = { store, cpu: createInProcessCpu(), logger: pino({ level: 'silent' }) };
    const first = await reindexItems(deps, { batchSize: 3, force: true, signal: abort.signal, onProgress: ({ done }) => done >= 6 && abort.abort() });
    expect(first).toEqual({ rebuilt: false, reason: 'stopped', done: 6 });
    expect((await store.getIndexState()).rebuild).toMatchObject({ version: textRulesVersion, doneUntilId: 6 });
    // Not forced: a rebuild under way is resumed anyway.
    const second = await reindexItems(deps, { batchSize: 3 });
    expect(second).toMatchObject({ rebuilt: true, items: 4 });
    expect(await links(store, 'convoys')).toHaveLength(10);
  });
});
