import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, createConfig, createReindexConfig } from '../src/config.js';

const token = '123:abc-DEF_456';

function errorOf(env: Record<string, string>): string {
  try {
    createConfig(env, '/srv/nashra');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('the configuration', () => {
  it('has the documented defaults', () => {
    const config = createConfig({ BOT_TOKEN: token }, '/srv/nashra');
    expect(config.telegramApiRoot).toBe('https://api.telegram.org');
    expect(config.database).toEqual({ kind: 'sqlite', path: '/srv/nashra/data/nashra.sqlite' });
    expect(config.pollCron).toBe('*/5 * * * *');
    expect(config.defaultLocale).toBe('ar');
    expect(config.logLevel).toBe('info');
    expect(config.httpPort).toBe(8080);
    expect([...config.botAdmins]).toEqual([]);
    expect(config.sources).toEqual([]);
    expect(config.fetchAllowHosts).toEqual([]);
  });

  it('reads lists, paths, ports and a six-field cron', () => {
    const config = createConfig(
      {
        BOT_TOKEN: token,
        BOT_ADMINS: '5, 6',
        SOURCES: 'https://a.example/feed, https://b.example/rss',
        DATABASE_URL: 'sqlite:/var/lib/nashra/db.sqlite',
        POLL_CRON: '*/30 * * * * *',
        HTTP_PORT: '0',
        FETCH_ALLOW_HOSTS: 'Intranet.Example,10.0.0.5',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
        DEFAULT_LOCALE: 'en',
      },
      '/srv/nashra',
    );
    expect([...config.botAdmins]).toEqual([5, 6]);
    expect(config.sources).toEqual(['https://a.example/feed', 'https://b.example/rss']);
    expect(config.database).toEqual({ kind: 'sqlite', path: '/var/lib/nashra/db.sqlite' });
    expect(config.pollCron).toBe('*/30 * * * * *');
    expect(config.httpPort).toBe(0);
    expect(config.fetchAllowHosts).toEqual(['intranet.example', '10.0.0.5']);
    expect(config.telegramApiRoot).toBe('http://127.0.0.1:8081');
    expect(config.defaultLocale).toBe('en');
  });

  it('treats an empty value as unset, so the default applies', () => {
    expect(createConfig({ BOT_TOKEN: token, HTTP_PORT: '', POLL_CRON: ' ' }, '/x').httpPort).toBe(8080);
  });

  it('resolves a relative sqlite path against the working directory', () => {
    expect(createConfig({ BOT_TOKEN: token, DATABASE_URL: 'sqlite:./here.db' }, '/srv/nashra').database).toEqual({
      kind: 'sqlite',
      path: path.resolve('/srv/nashra', 'here.db'),
    });
  });

  it('takes a postgres:// or postgresql:// URL as it is, and never repeats one it refuses', () => {
    for (const url of ['postgres://nashra:pw@db.example:5432/nashra', 'postgresql://nashra@127.0.0.1/nashra?sslmode=disable']) {
      expect(createConfig({ BOT_TOKEN: token, DATABASE_URL: url }, '/x').database).toEqual({ kind: 'postgres', url });
    }
    expect(errorOf({ BOT_TOKEN: token, DATABASE_URL: 'postgres://u:s3cret@[bad/db' })).not.toContain('s3cret');
  });

  it.each([
    [{}, /^BOT_TOKEN: is required/],
    [{ BOT_TOKEN: 'nonsense' }, /^BOT_TOKEN: must look like/],
    [{ BOT_TOKEN: token, HTTP_PORT: 'eighty' }, /^HTTP_PORT: /],
    [{ BOT_TOKEN: token, HTTP_PORT: '70000' }, /^HTTP_PORT: must be between/],
    [{ BOT_TOKEN: token, POLL_CRON: 'every minute' }, /^POLL_CRON: is not a valid cron/],
    [{ BOT_TOKEN: token, DEFAULT_LOCALE: 'fr' }, /^DEFAULT_LOCALE: must be ar or en/],
    [{ BOT_TOKEN: token, LOG_LEVEL: 'loud' }, /^LOG_LEVEL: must be one of/],
    [{ BOT_TOKEN: token, BOT_ADMINS: '12,@me' }, /^BOT_ADMINS: must be a comma-separated list of numeric/],
    [{ BOT_TOKEN: token, TELEGRAM_API_ROOT: 'api.telegram.org' }, /^TELEGRAM_API_ROOT: must be an http/],
    [{ BOT_TOKEN: token, DATABASE_URL: 'postgres://u:s3cret@[bad/db' }, /^DATABASE_URL: is not a valid URL/],
    [{ BOT_TOKEN: token, DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: must start with sqlite: or postgres:\/\//],
  ])('refuses %j with one line naming the variable', (env, expected) => {
    const message = errorOf(env as Record<string, string>);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });
});

describe('the polling configuration', () => {
  it('has defaults that poll politely: 64 at once, 2 per host, 20 posts per source per poll', () => {
    const config = createConfig({ BOT_TOKEN: token }, '/x');
    expect(config).toMatchObject({ pollConcurrency: 64, pollHostConcurrency: 2, postsPerPoll: 20 });
    expect(config.workerThreads).toBeGreaterThanOrEqual(1);
  });

  it('reads the limits, and refuses a zero, a fraction or a word with a line naming the variable', () => {
    const config = createConfig(
      { BOT_TOKEN: token, POLL_CONCURRENCY: '32', POLL_HOST_CONCURRENCY: '4', POSTS_PER_POLL: '5', WORKER_THREADS: '2' },
      '/x',
    );
    expect(config).toMatchObject({ pollConcurrency: 32, pollHostConcurrency: 4, postsPerPoll: 5, workerThreads: 2 });
    expect(errorOf({ BOT_TOKEN: token, POSTS_PER_POLL: '0' })).toMatch(/^POSTS_PER_POLL: must be a whole number from 1 to 1000/);
    expect(errorOf({ BOT_TOKEN: token, POLL_CONCURRENCY: '2.5' })).toMatch(/^POLL_CONCURRENCY: must be a whole number/);
    expect(errorOf({ BOT_TOKEN: token, WORKER_THREADS: 'many' })).toMatch(/^WORKER_THREADS: must be a whole number/);
  });

  it("sends at Telegram's 30 messages a second unless SEND_RATE says otherwise (1 to 1000)", () => {
    expect(createConfig({ BOT_TOKEN: token }, '/x').sendRatePerSecond).toBe(30);
    expect(createConfig({ BOT_TOKEN: token, SEND_RATE: '500' }, '/x').sendRatePerSecond).toBe(500);
    expect(errorOf({ BOT_TOKEN: token, SEND_RATE: '0' })).toMatch(/^SEND_RATE: must be a whole number from 1 to 1000/);
    expect(errorOf({ BOT_TOKEN: token, SEND_RATE: '1001' })).toMatch(/^SEND_RATE: must be a whole number from 1 to 1000/);
  });
});

describe('the reindex configuration', () => {
  it('needs no token: only the database, worker threads and log level', () => {
    expect(createReindexConfig({ DATABASE_URL: 'sqlite:./db.sqlite', WORKER_THREADS: '2' }, '/srv')).toEqual({
      database: { kind: 'sqlite', path: '/srv/db.sqlite' },
      workerThreads: 2,
      logLevel: 'info',
      secrets: [],
    });
    // A PostgreSQL password is among the secrets reindex redacts from all it writes.
    expect(createReindexConfig({ DATABASE_URL: 'postgres://nashra:pa55-w0rd-x@db:5432/nashra' }, '/srv').secrets).toEqual(['pa55-w0rd-x']);
    expect(() => createReindexConfig({ WORKER_THREADS: '0' }, '/srv')).toThrow(/^WORKER_THREADS: must be a whole number/);
  });
});
