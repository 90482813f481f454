import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AddSourceResult } from '../../src/pipeline/add-source.js';
import { readOpmlSources } from '../../src/sources/opml.js';
import { SourceError } from '../../src/sources/types.js';
import type { FakeChat, FakeUser, UploadedFile } from '../helpers/fake-telegram.js';
import { InProcessBot } from '../helpers/in-process-bot.js';

const admin: FakeUser = { id: 941, first_name: 'Admin', language_code: 'en' };
const adminChat: FakeChat = { id: admin.id, type: 'private', first_name: 'Admin' };
const stranger: FakeUser = { id: 942, first_name: 'Stranger', language_code: 'en' };
const strangerChat: FakeChat = { id: stranger.id, type: 'private', first_name: 'Stranger' };
const group: FakeChat = { id: -1005000000001, type: 'supergroup', title: 'Admins' };

/** An OPML file as a feed reader exports it: folders of feeds, one feed listed twice, one not http(s). */
function opmlFile(outlines: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>${outlines}</body></opml>`;
}

const readerExport = opmlFile(`
  <outline text="News">
    <outline text="Relief" type="rss" xmlUrl="https://relief.example/feed"/>
    <outline text="Old" type="rss" xmlUrl="https://old.example/rss"/>
  </outline>
  <outline text="Tech"><outline text="Deep"><outline text="Gone" type="rss" xmlUrl="https://gone.example/feed.xml"/></outline></outline>
  <outline text="Relief again" type="rss" xmlUrl="https://relief.example/feed"/>
  <outline text="Local" type="rss" xmlUrl="file:///etc/passwd"/>`);

describe('OPML import and /export (opml feature)', () => {
  let app: InProcessBot;
  let asked: string[];
  let changes: number;

  beforeEach(async () => {
    asked = [];
    changes = 0;
    app = await InProcessBot.start({
      deps: {
        botAdmins: new Set([admin.id]),
        // relief is new, old is already there, gone answers 404.
        addSource: async (url): Promise<AddSourceResult> => {
          asked.push(url);
          if (url.includes('gone.example')) throw new SourceError('http_status', 'HTTP 404', { status: 404 });
          const { source, created } = await app.store.addSource({ url, feedUrl: url, title: new URL(url).host });
          return created && !url.includes('old.example') ? { created: true, source, itemCount: 3 } : { created: false, source };
        },
        onSourcesChanged: () => (changes += 1),
      },
    });
  });
  afterEach(async () => {
    await app.close();
  });

  const replies = (chat: FakeChat) => app.telegram.callsOf('sendMessage', chat.id).map((call) => String(call.params.text));

  describe('importing an OPML file', () => {
    it('adds every feed it lists, nested ones too, showing progress in one message, then lists what was refused and why', async () => {
      await app.sendDocument(admin, adminChat, { fileName: 'feeds.opml', content: readerExport, mimeType: 'text/x-opml' });
      expect(asked.sort()).toEqual(['https://gone.example/feed.xml', 'https://old.example/rss', 'https://relief.example/feed']);

      const sent = app.telegram.callsOf('sendMessage', admin.id);
      expect(String(sent[0]?.params.text)).toBe('Importing sources: 0/3 — 0 added, 0 already there, 0 refused');
      // The progress message ends as the summary.
      expect(app.telegram.messageText(admin.id, sent[0]!.result.message_id)).toBe(
        'Import finished: 3 sources — 1 added, 1 already there, 1 refused.',
      );
      expect(replies(adminChat).slice(1)).toEqual([
        '1 entry was skipped: its address is not an http(s) address.\n\n' +
          'Refused:\nhttps://gone.example/feed.xml — the site answered with HTTP status 404.',
      ]);
      expect(changes).toBe(1);
      expect(app.telegram.fileDownloads).toHaveLength(1);
      expect(app.logged('update failed')).toEqual([]);
    });

    it('takes an .xml file too, and says nothing more when everything was added', async () => {
      await app.sendDocument(admin, adminChat, {
        fileName: 'export.xml',
        content: opmlFile('<outline text="Relief" xmlUrl="https://relief.example/feed"/><outline text="B" xmlUrl="https://b.example/rss"/>'),
      });
      expect(asked.sort()).toEqual(['https://b.example/rss', 'https://relief.example/feed']);
      expect(replies(adminChat)).toEqual(['Importing sources: 0/2 — 0 added, 0 already there, 0 refused']);
      expect(app.telegram.messageText(admin.id, app.telegram.callsOf('sendMessage', admin.id)[0]!.result.message_id)).toBe(
        'Import finished: 2 sources — 2 added, 0 already there, 0 refused.',
      );
    });

    it('leaves the scheduler alone when the file added nothing new', async () => {
      await app.sendDocument(admin, adminChat, {
        fileName: 'again.opml',
        content: opmlFile('<outline xmlUrl="https://old.example/rss"/><outline xmlUrl="https://gone.example/feed.xml"/>'),
      });
      expect(asked.sort()).toEqual(['https://gone.example/feed.xml', 'https://old.example/rss']);
      expect(changes).toBe(0);
    });

    it('refuses a file from someone who is not a bot admin, without downloading it', async () => {
      await app.sendDocument(stranger, strangerChat, { fileName: 'feeds.opml', content: readerExport });
      expect(replies(strangerChat)).toEqual(["Only the bot's administrators may add or remove sources."]);
      expect(app.telegram.fileDownloads).toEqual([]);
      expect(asked).toEqual([]);
    });

    it('ignores files sent in a group', async () => {
      await app.sendDocument(admin, group, { fileName: 'feeds.opml', content: readerExport });
      expect(app.telegram.calls.filter((call) => call.method !== 'getMe')).toEqual([]);
    });

    it.each([
      ['a file that is not OPML by its name and type', { fileName: 'photo.png', content: 'x', mimeType: 'image/png' }, 'This file is not an OPML list of feeds', false],
      ['a file larger than 1 MB by its size', { fileName: 'big.opml', content: 'x', fileSize: 1024 * 1024 + 1 }, 'This file is too large', false],
      ['a file Telegram cannot give', { fileName: 'lost.opml', content: readerExport, missing: true }, 'I could not download the file from Telegram', false],
      [
        'a file declaring XML entities',
        { fileName: 'lol.opml', content: `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]>${opmlFile('<outline xmlUrl="https://relief.example/feed"/>')}` },
        'This file declares XML entities',
        true,
      ],
      ['an .opml file that is not OPML inside', { fileName: 'notes.opml', content: '<html><body>hello</body></html>' }, 'This file is not an OPML list of feeds', true],
      ['an OPML file listing no feed', { fileName: 'empty.opml', content: opmlFile('<outline text="Folder"/>') }, 'I found no feed address (xmlUrl) in this file.', true],
    ])('refuses %s, saying why, adding nothing', async (_what, document, answer, downloaded) => {
      await app.sendDocument(admin, adminChat, document);
      expect(replies(adminChat)).toHaveLength(1);
      expect(replies(adminChat)[0]).toContain(answer);
      expect(app.telegram.fileDownloads).toHaveLength(downloaded ? 1 : 0);
      expect(asked).toEqual([]);
      expect(changes).toBe(0);
    });
  });

  describe('/export', () => {
    it('sends every source as an OPML file a feed reader (or another nashra) can import', async () => {
      await app.store.addSource({ url: 'https://relief.example/', feedUrl: 'https://relief.example/feed', title: 'Relief & Aid' });
      await app.store.addSource({ url: 'https://b.example/rss', feedUrl: 'https://b.example/rss', title: null });
      await app.sendText(admin, adminChat, '/export');
      const [call] = app.telegram.callsOf('sendDocument', admin.id);
      const file = call?.params.document as UploadedFile;
      expect(file.filename).toBe('nashra-sources.opml');
      expect(call?.params.caption).toMatch(/^2 sources, as OPML/);
      const reading = readOpmlSources(file.content.toString('utf8'));
      expect(reading).toMatchObject({ refused: null, urls: ['https://relief.example/feed', 'https://b.example/rss'] });
      expect(file.content.toString('utf8')).toContain('Relief &amp; Aid');
    });

    it('says when there is nothing to export, and refuses anyone but a bot admin', async () => {
      await app.sendText(admin, adminChat, '/export');
      expect(replies(adminChat)).toEqual(['There are no sources to export yet.']);
      await app.store.addSource({ url: 'https://b.example/rss', feedUrl: 'https://b.example/rss', title: 'B' });
      await app.sendText(stranger, strangerChat, '/export');
      expect(replies(strangerChat)).toEqual(["Only the bot's administrators may export the sources."]);
      expect(app.telegram.callsOf('sendDocument')).toEqual([]);
    });
  });
});
