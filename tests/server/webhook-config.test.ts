import { describe, expect, it } from 'vitest';
import { createConfig, urlPasswords } from '../../src/config.js';

const token = '123456:ABC-config_token';

describe('webhook and secrets configuration', () => {
  it('uses long polling when WEBHOOK_URL is not set', () => {
    expect(createConfig({ BOT_TOKEN: token }, '/x').webhook).toBeNull();
  });

  it('reads WEBHOOK_URL and WEBHOOK_SECRET, taking the URL path as the webhook path', () => {
    const config = createConfig({ BOT_TOKEN: token, WEBHOOK_URL: 'https://bot.example.com/telegram/updates', WEBHOOK_SECRET: 'Abc_123-xyz' }, '/x');
    expect(config.webhook).toEqual({ url: 'https://bot.example.com/telegram/updates', path: '/telegram/updates', secret: 'Abc_123-xyz' });
    expect(config.secrets).toContain('Abc_123-xyz');
  });

  it.each([
    [{ WEBHOOK_URL: 'https://bot.example.com/tg' }, /^WEBHOOK_SECRET: is required when WEBHOOK_URL is set/],
    [{ WEBHOOK_SECRET: 'abcdef' }, /^WEBHOOK_SECRET: is set but WEBHOOK_URL is not/],
    [{ WEBHOOK_URL: 'https://bot.example.com/tg', WEBHOOK_SECRET: 'has space' }, /^WEBHOOK_SECRET: must be 1 to 256 characters/],
    [{ WEBHOOK_URL: 'https://bot.example.com/tg', WEBHOOK_SECRET: 'a'.repeat(257) }, /^WEBHOOK_SECRET: must be 1 to 256 characters/],
    [{ WEBHOOK_URL: 'ftp://bot.example.com/tg', WEBHOOK_SECRET: 'abc' }, /^WEBHOOK_URL: must be an http\(s\) URL/],
    [{ WEBHOOK_URL: 'https://bot.example.com/tg', WEBHOOK_SECRET: 'abc', HTTP_PORT: '0' }, /^HTTP_PORT: must not be 0 when WEBHOOK_URL is set/],
    [{ WEBHOOK_URL: 'https://bot.example.com/metrics', WEBHOOK_SECRET: 'abc' }, /^WEBHOOK_URL: its path must not be \/metrics/],
  ])('refuses %o with one line naming the variable', (env, message) => {
    expect(() => createConfig({ BOT_TOKEN: token, ...env }, '/x')).toThrow(message);
    try {
      createConfig({ BOT_TOKEN: token, ...env }, '/x');
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
      expect((err as Error).message).not.toContain('has space');
    }
  });

  it('accepts a secret of 256 characters', () => {
    const secret = `${'A'.repeat(128)}${'_-9z'.repeat(32)}`;
    expect(createConfig({ BOT_TOKEN: token, WEBHOOK_URL: 'https://bot.example.com/', WEBHOOK_SECRET: secret }, '/x').webhook?.secret).toBe(secret);
  });

  it('finds the password in a connection URL, as written and decoded', () => {
    expect(urlPasswords('postgres://nashra:s3cr%40t%2Fpw@db.internal:5432/nashra')).toEqual(['s3cr%40t%2Fpw', 's3cr@t/pw']);
    expect(urlPasswords('postgresql://nashra:plainpass@127.0.0.1/nashra?sslmode=disable')).toEqual(['plainpass']);
    expect(urlPasswords('postgres://a:p@ss:w@rd@host/db')).toEqual(['p@ss:w@rd']);
    expect(urlPasswords('postgres://nashra@127.0.0.1/nashra')).toEqual([]);
    expect(urlPasswords('postgres://nashra:@127.0.0.1/nashra')).toEqual([]);
    expect(urlPasswords('sqlite:./data/nashra.sqlite')).toEqual([]);
    expect(urlPasswords('postgres://u:bad%zzescape@h/db')).toEqual(['bad%zzescape']);
  });

  it('counts the token among the secrets', () => {
    expect(createConfig({ BOT_TOKEN: token }, '/x').secrets).toEqual([token]);
  });
});
