import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AddSourceResult } from '../../src/pipeline/add-source.js';
import { toNewItems } from '../../src/pipeline/to-new-item.js';
import { SourceError } from '../../src/sources/types.js';
import type { FakeChat, FakeUser } from '../helpers/fake-telegram.js';
import { InProcessBot } from '../helpers/in-process-bot.js';

const admin: FakeUser = { id: 901, first_name: 'Admin', language_code: 'en' };
const adminChat: FakeChat = { id: admin.id, type: 'private', first_name: 'Admin' };
const arabicAdmin: FakeUser = { id: 902, first_name: 'مشرف', language_code: 'ar' };
const arabicAdminChat: FakeChat = { id: arabicAdmin.id, type: 'private', first_name: 'مشرف' };
const stranger: FakeUser = { id: 903, first_name: 'Stranger', language_code: 'en' };
const strangerChat: FakeChat = { id: stranger.id, type: 'private', first_name: 'Stranger' };
const minute = 60_000;

describe('/sources, /addsource, /removesource and the other source commands (sources feature)', () => {
  let app: InProcessBot;
  /** URLs the feature asked the add-source use case for, in order. */
  let asked: string[];
  /** What the add-source use case does next. */
  let addSource: (url: string) => Promise<AddSourceResult>;
  let changes: number;

  beforeEach(async () => {
    asked = [];
    changes = 0;
    addSource = () => Promise.reject(new Error('not expected in this test'));
    app = await InProcessBot.start({
      deps: {
        botAdmins: new Set([admin.id, arabicAdmin.id]),
        addSource: (url) => {
          asked.push(url);
          return addSource(url);
        },
        onSourcesChanged: () => (changes += 1),
      },
    });
  });
  afterEach(async () => {
    await app.close();
  });

  const lastReply = (chat: FakeChat) => String(app.telegram.callsOf('sendMessage', chat.id).at(-1)?.params.text);
  const ask = async (from: FakeUser, chat: FakeChat, text: string) => {
    await app.sendText(from, chat, text);
    return lastReply(chat);
  };
  const add = (title: string | null, url = `https://${(title ?? 'untitled').toLowerCase().replace(/\W+/g, '-')}.example/feed`) =>
    app.store.addSource({ url, feedUrl: url, title }).then((added) => added.source);

  describe('/sources', () => {
    it('says there are none yet', async () => {
      expect(await ask(stranger, strangerChat, '/sources')).toBe('No sources yet. A bot administrator adds one with <code>/addsource url</code>.');
    });

    it('lists every source for anyone, with its id, escaped title, host, article count and health', async () => {
      const healthy = await add('Aid & Relief <News>', 'https://relief.example/feed.xml');
      const failing = await add('Failing');
      const paused = await add('Paused');
      const retired = await add('Retired');
      const never = await add(null, 'https://no-title.example/rss');
      await app.store.recordPollOutcome(healthy.id, { ok: true, nextPollAt: new Date(Date.now() + 30 * minute) }, new Date(Date.now() - 5 * minute));
      await app.store.setSourceInterval(healthy.id, 3600);
      await app.store.setSourceFullText(healthy.id, true);
      for (let i = 0; i < 3; i++) await app.store.recordPollOutcome(failing.id, { ok: false, error: 'HTTP 503 <Service Unavailable>' });
      await app.store.recordPollOutcome(paused.id, { ok: false, error: 'timeout', state: 'paused' });
      await app.store.recordPollOutcome(retired.id, { ok: false, error: 'HTTP 410', state: 'retired' });

      const text = await ask(stranger, strangerChat, '/sources');
      const lines = text.split('\n');
      expect(lines[0]).toBe('Sources:');
      expect(lines[1]).toBe(`<b>${healthy.id}</b>. Aid &amp; Relief &lt;News&gt; (relief.example) — 0 articles`);
      expect(lines[2]).toMatch(/^ +✓ last read 5 min ago · next check in (29|30) min · full text from the article pages · every 1 h \(set by an admin\)$/);
      expect(lines[4]).toContain('⚠ failed 3 times in a row: HTTP 503 &lt;Service Unavailable&gt;');
      expect(lines[6]).toContain(`⏸ paused after repeated failures (/resumesource ${paused.id})`);
      expect(lines[6]).not.toContain('next check');
      expect(lines[8]).toContain('⛔ retired: the site says the feed is gone');
      expect(lines[9]).toBe(`<b>${never.id}</b>. https://no-title.example/rss (no-title.example) — 0 articles`);
      expect(lines[10]).toMatch(/never read yet · next check/);
    });
  });

  describe('/addsource', () => {
    it('refuses anyone who is not a bot admin, without reading the URL', async () => {
      expect(await ask(stranger, strangerChat, '/addsource https://a.example/feed')).toBe("Only the bot's administrators may add or remove sources.");
      expect(asked).toEqual([]);
    });

    it('asks for a URL when none is given', async () => {
      expect(await ask(admin, adminChat, '/addsource')).toContain('Send the address of a feed or site');
      expect(asked).toEqual([]);
    });

    it('adds a source, says what it holds, and tells the scheduler', async () => {
      addSource = async (url) => ({ created: true, source: await add('Relief Web', url), itemCount: 7 });
      const text = await ask(admin, adminChat, '/addsource https://relief.example/feed');
      expect(asked).toEqual(['https://relief.example/feed']);
      expect(text.split('\n')[0]).toBe('Added <b>Relief Web</b> (id 1), with 7 articles.');
      expect(changes).toBe(1);
      // "typing…" while it reads the feed.
      expect(app.telegram.callsOf('sendChatAction', admin.id).map((call) => call.params.action)).toEqual(['typing']);
    });

    it('says so when the source is already there, and changes nothing', async () => {
      const existing = await add('Relief Web', 'https://relief.example/feed');
      addSource = async () => ({ created: false, source: existing });
      expect(await ask(admin, adminChat, '/addsource https://relief.example/feed')).toBe(
        `This source is already there: <b>Relief Web</b> (id ${existing.id}).`,
      );
      expect(changes).toBe(0);
    });

    it('explains why a URL cannot be used, in the admin’s language, with the HTTP status and the URL escaped', async () => {
      addSource = () => Promise.reject(new SourceError('http_status', 'HTTP 404', { status: 404 }));
      expect(await ask(admin, adminChat, '/addsource https://a.example/x?a=1&b=<2>')).toBe(
        'I cannot use https://a.example/x?a=1&amp;b=&lt;2&gt;: the site answered with HTTP status 404.',
      );
      addSource = () => Promise.reject(new SourceError('not_a_feed', 'no feed'));
      expect(await ask(arabicAdmin, arabicAdminChat, '/addsource https://a.example/page')).toMatch(/^لا أستطيع استخدام https:\/\/a\.example\/page/);
      // Anything else that goes wrong is "unknown", not a failed update.
      addSource = () => Promise.reject(new Error('database is locked'));
      expect(await ask(admin, adminChat, '/addsource https://a.example/feed')).toBe('I cannot use https://a.example/feed: something went wrong while reading it.');
      expect(app.logged('addsource refused')).toHaveLength(3);
      expect(app.logged('update failed')).toEqual([]);
      expect(changes).toBe(0);
    });
  });

  describe('/removesource', () => {
    it('removes a source with its articles, for a bot admin only', async () => {
      const source = await add('Gone Soon');
      const entry = { key: 'a', title: 'An article', link: 'https://gone.example/a', html: '<p>text</p>', publishedAt: null, imageUrl: null };
      await app.store.recordItems(source.id, toNewItems([entry], { signatures: [] }));
      expect(await app.store.latestItems(5)).toHaveLength(1);
      expect(await ask(stranger, strangerChat, `/removesource ${source.id}`)).toContain('Only the bot');
      expect(await app.store.getSource(source.id)).not.toBeNull();
      expect(await ask(admin, adminChat, `/removesource ${source.id}`)).toBe(`Removed source ${source.id} (Gone Soon).`);
      expect(await app.store.getSource(source.id)).toBeNull();
      expect(await app.store.latestItems(5)).toEqual([]);
      expect(changes).toBe(1);
    });

    it('asks for an id, and says when there is no such source', async () => {
      expect(await ask(admin, adminChat, '/removesource')).toContain('Send the id of the source to remove');
      expect(await ask(admin, adminChat, '/removesource three')).toContain('Send the id of the source to remove');
      expect(await ask(admin, adminChat, '/removesource 42')).toBe('There is no source with id 42. See /sources.');
      expect(changes).toBe(0);
    });
  });

  describe('/resumesource, /setinterval and /fulltext', () => {
    it('makes a paused source active again', async () => {
      const source = await add('Flaky');
      await app.store.recordPollOutcome(source.id, { ok: false, error: 'timeout', state: 'paused' });
      expect(await ask(stranger, strangerChat, `/resumesource ${source.id}`)).toContain('Only the bot');
      expect((await app.store.getSource(source.id))?.state).toBe('paused');
      expect(await ask(admin, adminChat, `/resumesource ${source.id}`)).toBe(`Source ${source.id} (Flaky) is active again and will be checked at the next round.`);
      expect((await app.store.getSource(source.id))?.state).toBe('active');
      expect(await ask(admin, adminChat, '/resumesource 99')).toBe('There is no source with id 99. See /sources.');
    });

    it('sets how often a source is checked, within 1 to 1440 minutes, and back to automatic', async () => {
      const source = await add('Busy');
      expect(await ask(admin, adminChat, `/setinterval ${source.id} 30`)).toBe(
        `Source ${source.id} (Busy) will be checked every 30 min at most (never more often than the site allows).`,
      );
      expect((await app.store.getSource(source.id))?.intervalSeconds).toBe(1800);
      for (const bad of ['0', '1441', '2.5', 'often', '']) {
        expect(await ask(admin, adminChat, `/setinterval ${source.id} ${bad}`.trim()), bad).toContain('Send a source id and how often to check it');
      }
      expect((await app.store.getSource(source.id))?.intervalSeconds).toBe(1800);
      expect(await ask(admin, adminChat, `/setinterval ${source.id} AUTO`)).toContain('is checked automatically again');
      expect((await app.store.getSource(source.id))?.intervalSeconds).toBeNull();
      expect(await ask(stranger, strangerChat, `/setinterval ${source.id} 5`)).toContain('Only the bot');
      expect((await app.store.getSource(source.id))?.intervalSeconds).toBeNull();
    });

    it('turns full text on and off', async () => {
      const source = await add('Excerpts');
      expect(await ask(admin, adminChat, `/fulltext ${source.id} on`)).toContain(`Source ${source.id} (Excerpts): each new article’s page will be read once`);
      expect((await app.store.getSource(source.id))?.fullText).toBe(true);
      expect(await ask(admin, adminChat, `/fulltext ${source.id} maybe`)).toContain('Send a source id and <code>on</code> or <code>off</code>');
      expect((await app.store.getSource(source.id))?.fullText).toBe(true);
      expect(await ask(admin, adminChat, `/fulltext ${source.id} OFF`)).toBe(`Source ${source.id} (Excerpts): only the feed’s own text is used again.`);
      expect((await app.store.getSource(source.id))?.fullText).toBe(false);
      expect(await ask(stranger, strangerChat, `/fulltext ${source.id} on`)).toContain('Only the bot');
      expect((await app.store.getSource(source.id))?.fullText).toBe(false);
    });
  });
});
