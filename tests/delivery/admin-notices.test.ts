import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createI18n } from '../../src/bot/create-i18n.js';
import { createAdminNotifier, createPausedChatNotifier, renderNotice } from '../../src/delivery/admin-notices.js';
import { createTelegramSendMessage } from '../../src/delivery/telegram-sender.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { makeTempDir } from '../helpers/bot-process.js';
import type { SourceNotice } from '../../src/pipeline/ports.js';
import type { SourceRecord } from '../../src/store/store.js';
import { FakeTelegram } from '../helpers/fake-telegram.js';
import { waitUntil } from '../helpers/wait-until.js';

const source: SourceRecord = {
  id: 7,
  url: 'https://blog.example/feed',
  feedUrl: 'https://blog.example/feed',
  title: 'مدونة <b>&',
  addedAt: '2026-01-01T00:00:00Z',
  lastPolledAt: null,
  lastSuccessAt: null,
  lastError: 'HTTP 500',
  consecutiveFailures: 10,
  etag: null,
  lastModified: null,
  itemCount: 3,
  state: 'paused',
  stateReason: 'HTTP 500',
  format: 'rss',
  bodyHash: null,
  nextPollAt: new Date(0),
  intervalSeconds: null,
  lastNewItemAt: null,
  floodPolls: 0,
  floodNoticed: false,
  fullText: false,
  ttlMinutes: null,
};

const notices: SourceNotice[] = [
  { kind: 'paused', source, failures: 10, error: 'HTTP 500 <script>' },
  { kind: 'retired', source, error: 'HTTP 410' },
  { kind: 'flooding', source, newEntries: 50, entries: 50, polls: 2 },
];

describe('notices to the bot admins', () => {
  const i18n = createI18n('ar');

  it.each(['ar', 'en'])('say which source and what happened, escaped, in %s', (locale) => {
    for (const notice of notices) {
      const text = renderNotice(notice, (id, params) => i18n.t(locale, id, params));
      expect(text).toContain('7');
      expect(text).toContain('مدونة &lt;b&gt;&amp;');
      expect(text).not.toContain('<script>');
      expect(text).not.toMatch(/\{\s*\$/);
    }
    expect(renderNotice(notices[0]!, (id, params) => i18n.t(locale, id, params))).toContain('/resumesource 7');
  });

  describe('sent through the Bot API', () => {
    let telegram: FakeTelegram;
    beforeEach(async () => {
      telegram = await new FakeTelegram('1:test').start();
    });
    afterEach(async () => {
      await telegram.close();
    });

    it('reach every admin in private, even when one of them never started the bot', async () => {
      telegram.answerNext('sendMessage', (params) =>
        Number(params.chat_id) === 11 ? { ok: false, error_code: 403, description: 'Forbidden: bot can’t initiate conversation with a user' } : undefined,
      );
      const notify = createAdminNotifier({
        sendMessage: createTelegramSendMessage({ token: '1:test', apiRoot: telegram.apiRoot }),
        admins: new Set([11, 22]),
        translate: (id, params) => i18n.t('en', id, params),
        logger: pino({ level: 'silent' }),
      });
      notify(notices[0]!);
      await waitUntil(() => telegram.callsOf('sendMessage').length === 2, 'both admins were written to');
      const delivered = telegram.callsOf('sendMessage', 22);
      expect(delivered).toHaveLength(1);
      expect(String(delivered[0]!.params.text)).toContain('failed 10 times in a row');
      expect(delivered[0]!.params.parse_mode).toBe('HTML');
    });

    it.each(['ar', 'en'])('tell whoever subscribed a paused chat, in %s, why and how to resume it, and nobody else', async (locale) => {
      const store = createSqliteStore(path.join(makeTempDir(), 'n.sqlite'));
      try {
        const sourceId = (await store.addSource({ url: 'u', feedUrl: 'u', title: 'S' })).source.id;
        await store.upsertChat({ id: -1001, kind: 'channel', title: 'قناة <b>', username: null });
        await store.subscribe(-1001, [sourceId], 501);
        await store.subscribe(-1001, 'all', 1087968824);
        const notify = createPausedChatNotifier({
          sendMessage: createTelegramSendMessage({ token: '1:test', apiRoot: telegram.apiRoot }),
          store,
          translate: (id, params) => i18n.t(locale, id, params),
          logger: pino({ level: 'silent' }),
        });
        notify({ chatId: -1001, reason: 'Forbidden: bot was kicked from the channel chat' });
        await telegram.waitForCall((call) => call.method === 'sendMessage');
        const [told] = telegram.callsOf('sendMessage');
        expect(Number(told!.params.chat_id)).toBe(501);
        expect(String(told!.params.text)).toContain('قناة &lt;b&gt;');
        expect(String(told!.params.text)).toContain('bot was kicked');
        expect(String(told!.params.text)).toContain('/subscribe');
        expect(String(told!.params.text)).not.toMatch(/\{\s*\$/);
        expect(telegram.callsOf('sendMessage')).toHaveLength(1);
      } finally {
        await store.close();
      }
    });
  });
});
