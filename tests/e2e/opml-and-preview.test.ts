import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOpmlSources } from '../../src/sources/opml.js';
import { BotProcess, makeTempDir, repoRoot } from '../helpers/bot-process.js';
import { FakeTelegram, type FakeChat, type FakeUser, type RecordedCall, type UploadedFile } from '../helpers/fake-telegram.js';
import { readFeedFixture, startLocalHttpServer, type LocalHttpServer } from '../sources/local-http-server.js';

const token = '123456:TEST-token_for-opml';
const admin: FakeUser = { id: 111, first_name: 'Admin', language_code: 'en' };
const stranger: FakeUser = { id: 222, first_name: 'Stranger', language_code: 'en' };
const adminChat: FakeChat = { id: admin.id, type: 'private', first_name: 'Admin' };
const strangerChat: FakeChat = { id: stranger.id, type: 'private', first_name: 'Stranger' };

const healthy = 26;
const slow = 2;

const rss = (name: string, origin: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>مصدر ${name}</title><link>${origin}/</link>
  <item><title>خبر عاجل من ${name}</title><link>${origin}/${name}/1</link><guid>${name}-1</guid>
    <description>&lt;p&gt;نص الخبر&lt;/p&gt;</description></item>
  <item><title>خبر أقدم من ${name}</title><link>${origin}/${name}/0</link><guid>${name}-0</guid></item>
</channel></rss>`;

/**
 * A stand-in news host: /f/N.xml are feeds, /slow/N.xml feeds that answer after 2.5 s, /missing.xml
 * a 404, /page.html a page with no feed, /bomb.xml a billion-laughs document, /site.html a page that
 * announces /f/1.xml.
 */
async function startFeedHost(): Promise<LocalHttpServer> {
  const host: LocalHttpServer = await startLocalHttpServer((request, response) => {
    const url = request.url ?? '';
    const send = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    const feed = /^\/(f|slow)\/(\d+)\.xml$/.exec(url);
    if (feed) {
      const body = rss(`${feed[1]}${feed[2]}`, host.origin);
      if (feed[1] === 'slow') return void setTimeout(() => send(200, 'application/rss+xml', body), 2500);
      return send(200, 'application/rss+xml', body);
    }
    if (url === '/page.html') return send(200, 'text/html', '<!doctype html><html><body><p>لا خلاصة هنا</p></body></html>');
    if (url === '/bomb.xml') return send(200, 'application/xml', readFeedFixture('billion-laughs.xml'));
    if (url === '/site.html') {
      return send(200, 'text/html', `<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/f/1.xml"></head><body>site</body></html>`);
    }
    send(404, 'text/plain', 'not found');
  });
  return host;
}

function opmlFor(origin: string): string {
  const outline = (url: string, text: string) => `<outline type="rss" text="${text}" xmlUrl="${url}"/>`;
  const feeds = Array.from({ length: healthy }, (_, i) => outline(`${origin}/f/${i + 1}.xml`, `Feed ${i + 1}`));
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="News">${feeds.slice(0, 10).join('')}
    <outline text="Nested">${feeds.slice(10).join('')}</outline>
  </outline>
  ${outline(`${origin}/slow/1.xml`, 'Slow 1')}${outline(`${origin}/slow/2.xml`, 'Slow 2')}
  ${outline(`${origin}/missing.xml`, 'Gone')}
  ${outline(`${origin}/page.html`, 'A page')}
  ${outline(`${origin}/bomb.xml`, 'Bomb')}
  ${outline(`${origin}/f/1.xml`, 'Feed 1 again')}
  ${outline('ftp://files.example/feed.xml', 'FTP')}
</body></opml>`;
}

/** Runs `npm run preview -- <url>` and collects what it prints. */
function runPreview(url: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'preview', '--', url], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('OPML import and export, as a bot admin does it', () => {
  let telegram: FakeTelegram;
  let host: LocalHttpServer;
  let bot: BotProcess;

  beforeAll(async () => {
    telegram = await new FakeTelegram(token).start();
    host = await startFeedHost();
    bot = new BotProcess({
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: `sqlite:${path.join(makeTempDir(), 'nashra.sqlite')}`,
      BOT_ADMINS: String(admin.id),
      // Once a year: no poll cycle runs during the test.
      POLL_CRON: '0 0 1 1 *',
      HTTP_PORT: '0',
      FETCH_ALLOW_HOSTS: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    await bot.waitForLog((line) => line.msg === 'nashra started', 20_000);
  });

  afterAll(async () => {
    bot?.kill();
    await telegram?.close();
    await host?.close();
  });

  /** Sends a document and waits for the bot's next message in that chat. */
  async function sendFile(from: FakeUser, chat: FakeChat, fileName: string, content: string, mimeType?: string): Promise<string> {
    const before = telegram.callsOf('sendMessage', chat.id).length;
    telegram.sendDocument(from, chat, { fileName, content, mimeType });
    return telegram.waitForReply(chat.id, before);
  }

  it('lists the export command in the bot admins’ command menu, and only there', () => {
    const english = telegram.callsOf('setMyCommands').filter((call) => call.params.language_code === 'en');
    const forAdmin = english.find((call) => call.params.scope?.type === 'chat' && Number(call.params.scope.chat_id) === admin.id)!;
    const forEveryone = english.find((call) => call.params.scope === undefined)!;
    expect(forAdmin.params.commands.map((command: { command: string }) => command.command)).toEqual(
      expect.arrayContaining(['export', 'addsource', 'resumesource', 'setinterval', 'fulltext', 'search']),
    );
    expect(forEveryone.params.commands.map((command: { command: string }) => command.command)).not.toContain('export');
  });

  it('refuses an OPML file from someone who is not a bot admin, without downloading it', async () => {
    const text = await sendFile(stranger, strangerChat, 'feeds.opml', opmlFor(host.origin));
    expect(text).toContain('Only the bot');
    expect(telegram.fileDownloads).toHaveLength(0);
    expect(host.requests).toHaveLength(0);
  });

  it('tells an admin clearly when a file is not OPML', async () => {
    expect(await sendFile(admin, adminChat, 'notes.txt', 'hello', 'text/plain')).toContain('not an OPML');
    expect(await sendFile(admin, adminChat, 'feed.xml', rss('x', host.origin), 'application/xml')).toContain('not an OPML');
    const laughs = '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml version="2.0"><body><outline text="&a;" xmlUrl="https://a.example/"/></body></opml>';
    expect(await sendFile(admin, adminChat, 'evil.opml', laughs)).toContain('declares XML entities');
    expect(host.requests).toHaveLength(0);
  });

  it('imports an OPML file of 31 sources, showing progress in one edited message, then what was refused and why', async () => {
    const before = telegram.callsOf('sendMessage', adminChat.id).length;
    telegram.sendDocument(admin, adminChat, { fileName: 'feeds.opml', content: opmlFor(host.origin), mimeType: 'text/x-opml' });

    const progress = await telegram.waitForReply(adminChat.id, before);
    expect(progress).toContain('0/31');
    const isFinalEdit = (call: RecordedCall) => call.method === 'editMessageText' && String(call.params.text).includes('Import finished');
    await telegram.waitForCall(isFinalEdit, 30_000);

    const edits = telegram.callsOf('editMessageText', adminChat.id);
    // Every edit targets the one progress message, and none repeats the text before it.
    expect(new Set(edits.map((call) => Number(call.params.message_id))).size).toBe(1);
    const texts = [progress, ...edits.map((call) => String(call.params.text))];
    for (let i = 1; i < texts.length; i++) expect(texts[i]).not.toBe(texts[i - 1]);
    // The slow feeds keep the import going past 2 s: at least one edit shows it part-way.
    const partWay = edits.filter((call) => /(\d+)\/31/.exec(String(call.params.text)) && !String(call.params.text).includes('31/31'));
    expect(partWay.length).toBeGreaterThanOrEqual(1);
    // Part-way, the counts add up to the entries done so far (which refusals are in yet depends on timing).
    for (const call of partWay) {
      const counts = /(\d+)\/31 — (\d+) added, (\d+) already there, (\d+) refused/.exec(String(call.params.text));
      expect(counts, String(call.params.text)).not.toBeNull();
      const [done, added, already, refused] = counts!.slice(1).map(Number) as [number, number, number, number];
      expect(added + already + refused).toBe(done);
      expect(already).toBe(0);
      expect(refused).toBeLessThanOrEqual(3);
    }
    const final = String(edits.at(-1)!.params.text);
    expect(final).toContain('31 sources');
    expect(final).toContain('28 added, 0 already there, 3 refused');

    // Edits come at most every ~2 s.
    const times = edits.map((call) => call.at);
    for (let i = 1; i < times.length - 1; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1500);

    const report = await telegram.waitForReply(adminChat.id, before + 1);
    expect(report).toContain('1 entry was skipped');
    expect(report).toContain('Refused:');
    expect(report).toContain(`${host.origin}/missing.xml — the site answered with HTTP status 404`);
    expect(report).toContain(`${host.origin}/page.html — I found no RSS or Atom feed there`);
    expect(report).toContain(`${host.origin}/bomb.xml — the document declares XML entities`);
    expect(telegram.fileDownloads).toHaveLength(3); // feed.xml and evil.opml above, and this one

    const sources = await telegram.ask(admin, adminChat, '/sources');
    expect(sources).toContain('مصدر f26');
    expect(sources).toContain('مصدر slow2');
  });

  it('exports every source as an OPML document that reads back to the same feeds', async () => {
    const before = telegram.callsOf('sendDocument', adminChat.id).length;
    telegram.sendText(admin, adminChat, '/export');
    await telegram.waitForCall(() => telegram.callsOf('sendDocument', adminChat.id).length > before);
    const call = telegram.callsOf('sendDocument', adminChat.id)[before]!;
    const document = call.params.document as UploadedFile;
    expect(document.filename).toBe('nashra-sources.opml');
    const exported = readOpmlSources(document.content.toString('utf8'));
    const expected = [
      ...Array.from({ length: healthy }, (_, i) => `${host.origin}/f/${i + 1}.xml`),
      ...Array.from({ length: slow }, (_, i) => `${host.origin}/slow/${i + 1}.xml`),
    ];
    expect(exported.urls.sort()).toEqual(expected.sort());
    expect(document.content.toString('utf8')).toContain('text="مصدر f1"');
    expect(String(call.params.caption)).toContain('28 sources');
  });

  it('refuses /export to someone who is not a bot admin', async () => {
    expect(await telegram.ask(stranger, strangerChat, '/export')).toContain('Only the bot');
    expect(telegram.callsOf('sendDocument', strangerChat.id)).toHaveLength(0);
  });
});

describe('npm run preview', () => {
  let host: LocalHttpServer;

  beforeAll(async () => {
    host = await startFeedHost();
  });

  afterAll(async () => {
    await host?.close();
  });

  it('prints the posts a feed would make, oldest first, with no token and no database', async () => {
    const { code, stdout, stderr } = await runPreview(`${host.origin}/f/7.xml`, { FETCH_ALLOW_HOSTS: '127.0.0.1' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`مصدر f7 — ${host.origin}/f/7.xml (rss, 2 posts)`);
    const older = stdout.indexOf(`<b>خبر أقدم من f7</b>\n<a href="${host.origin}/f7/0">`);
    const newer = stdout.indexOf(`<b>خبر عاجل من f7</b>\n<a href="${host.origin}/f7/1">`);
    expect(older).toBeGreaterThan(0);
    expect(newer).toBeGreaterThan(older);
  });

  it('finds the feed a web page announces', async () => {
    const { code, stdout } = await runPreview(`${host.origin}/site.html`, { FETCH_ALLOW_HOSTS: '127.0.0.1' });
    expect(code).toBe(0);
    expect(stdout).toContain(`${host.origin}/f/1.xml (rss, 2 posts)`);
  });

  it('fails with one clear line and exit code 1 when the source cannot be read', async () => {
    const missing = await runPreview(`${host.origin}/missing.xml`, { FETCH_ALLOW_HOSTS: '127.0.0.1' });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n').filter((line) => line.startsWith('nashra preview:'))).toEqual([
      `nashra preview: ${host.origin}/missing.xml: HTTP 404 (http_status)`,
    ]);
    // Without FETCH_ALLOW_HOSTS, a loopback address is refused like any private one.
    const guarded = await runPreview(`${host.origin}/f/1.xml`, {});
    expect(guarded.code).toBe(1);
    expect(guarded.stderr).toContain('(blocked_address)');
    expect(host.requests.filter((request) => request.url === '/f/1.xml')).toHaveLength(1); // only the site.html discovery
  });
});
