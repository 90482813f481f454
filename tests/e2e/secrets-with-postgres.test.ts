/**
 * The bot token and the database password are written nowhere — stdout, stderr, /status — while the
 * bot runs on PostgreSQL and the database fails under it: every connection of the bot cut, twice, while
 * it polls a failing source and answers an admin. (tests/e2e/token-never-written.test.ts does the same
 * for Telegram's and the sources' failures on SQLite.)
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess } from '../helpers/bot-process.js';
import { FakeTelegram, type FakeChat, type FakeUser } from '../helpers/fake-telegram.js';
import { FeedFarm } from '../helpers/feed-farm.js';
import { createScratchDatabase, postgresSuiteRuns, testDatabaseUrl } from '../helpers/postgres.js';
import { waitUntil } from '../helpers/wait-until.js';

const secret = 'AAHq-PgSecretPartThatMustNeverLeak_7';
const token = `7355608124:${secret}`;
// Trust authentication accepts any password: the bot sends this one and must never write it.
const password = 'Db-Pa55word-NeverWritten-41';
const admin: FakeUser = { id: 4242, first_name: 'Admin', language_code: 'en' };
const adminChat: FakeChat = { id: 4242, type: 'private', first_name: 'Admin' };

const runs = await postgresSuiteRuns('the secrets-on-PostgreSQL test');

describe.runIf(runs)('the token and the database password, on PostgreSQL', () => {
  let db: { name: string; url: string; drop: () => Promise<void> };
  let telegram: FakeTelegram;
  let farm: FeedFarm;
  let bot: BotProcess | undefined;

  /** Runs one statement on the test server (outside the bot's database). */
  async function onServer(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    try {
      return await client.query(sql, params);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    db = await createScratchDatabase('nashra_secrets');
    telegram = await new FakeTelegram(token).start();
    farm = await new FeedFarm().start();
  });

  afterAll(async () => {
    bot?.kill();
    await telegram?.close();
    await farm?.close();
    await db?.drop();
  });

  it('are written nowhere while the database cuts every connection of the bot and a source fails', { timeout: 90_000 }, async () => {
    const url = new URL(db.url);
    url.password = password;
    const failing = farm.addFeed('/down.xml', { count: 2 });
    bot = new BotProcess({
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: url.toString(),
      HTTP_PORT: '0',
      LOG_LEVEL: 'trace',
      POLL_CRON: '* * * * * *',
      FETCH_ALLOW_HOSTS: '127.0.0.1',
      SOURCES: failing.url,
      BOT_ADMINS: String(admin.id),
      WORKER_THREADS: '1',
    });
    await bot.waitForLog((line) => line.msg === 'sources from SOURCES read', 30_000);
    failing.status = 500;
    expect(await telegram.ask(admin, adminChat, '/status', {}, 10_000)).toContain('nashra status');

    // Every connection of the bot's database cut, twice, a few seconds apart: queries in flight fail,
    // the getUpdates lease is lost and taken again.
    for (let cut = 0; cut < 2; cut++) {
      const { rowCount } = await onServer(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [db.name],
      );
      expect(rowCount).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    await waitUntil(
      () => bot!.count('a database connection closed; the next query opens another') >= 2,
      'the cut connections were logged',
      15_000,
    );
    expect(bot.count('lost the getUpdates lease (its database connection closed); stopped receiving updates')).toBeGreaterThanOrEqual(1);
    // The bot came back: it answers, reads its store, and the failing source was polled and logged.
    const status = await telegram.ask(admin, adminChat, '/status', {}, 15_000);
    expect(status).toContain('nashra status');
    expect(failing.requests).toBeGreaterThan(1);

    const { code } = await bot.stop('SIGTERM');
    expect(code).toBe(0);
    const output = bot.logs.map((line) => (line.raw ? String(line.msg) : JSON.stringify(line))).join('\n') + '\n' + bot.stderr.join('');
    const replies = telegram.calls.map((call) => JSON.stringify(call.params)).join('\n');
    for (const written of [output, replies, status]) {
      expect(written).not.toContain(secret);
      expect(written).not.toContain(password);
    }
  });
});
