import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readChatSettings } from '../../src/store/chat-settings.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { defaultChatSettings, type Store } from '../../src/store/store.js';

describe('chat settings', () => {
  let dir: string;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const open = () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nashra-settings-'));
    store = createSqliteStore(path.join(dir, 'store.sqlite'));
    return store;
  };

  it('gives the defaults for a chat that never changed anything, and for an unknown chat', async () => {
    const s = open();
    await s.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    expect(await s.getChatSettings(-100)).toEqual(defaultChatSettings);
    expect(await s.getChatSettings(-999)).toEqual(defaultChatSettings);
  });

  it('keeps a change across a reopen and leaves the other settings alone', async () => {
    const s = open();
    await s.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    const changed = await s.updateChatSettings(-100, { digest: 'daily', includeWords: ['غزه'], silent: true });
    expect(changed).toMatchObject({ digest: 'daily', includeWords: ['غزه'], silent: true, style: 'headline' });
    await s.close();
    store = createSqliteStore(path.join(dir, 'store.sqlite'));
    expect(await store.getChatSettings(-100)).toEqual(changed);
    // Another chat is untouched.
    await store.upsertChat({ id: -200, kind: 'group', title: 'G', username: null });
    expect(await store.getChatSettings(-200)).toEqual(defaultChatSettings);
  });

  it('refuses a value out of bounds and an unknown chat, changing nothing', async () => {
    const s = open();
    await s.upsertChat({ id: -100, kind: 'channel', title: 'C', username: null });
    await expect(s.updateChatSettings(-100, { burstLimit: 0 })).rejects.toThrow(/burstLimit/);
    await expect(s.updateChatSettings(-100, { digest: 'weekly' as never })).rejects.toThrow(/digest/);
    await expect(s.updateChatSettings(-5, { silent: true })).rejects.toThrow(/unknown chat/);
    expect(await s.getChatSettings(-100)).toEqual(defaultChatSettings);
  });

  it('follows a group that became a supergroup', async () => {
    const s = open();
    await s.upsertChat({ id: -1, kind: 'group', title: 'G', username: null });
    await s.updateChatSettings(-1, { language: 'ar' });
    await s.migrateChat(-1, -1001);
    expect((await s.getChatSettings(-1001)).language).toBe('ar');
  });

  it('reads stored settings from an older or damaged row field by field', () => {
    expect(readChatSettings('not json')).toEqual(defaultChatSettings);
    expect(readChatSettings('{"digest":"hourly","style":"video","silent":1}')).toEqual({ ...defaultChatSettings, digest: 'hourly' });
  });
});
