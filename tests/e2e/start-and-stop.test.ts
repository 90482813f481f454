import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess, makeTempDir, repoRoot } from '../helpers/bot-process.js';
import { FakeTelegram } from '../helpers/fake-telegram.js';
import { waitUntil } from '../helpers/wait-until.js';

const token = '555:start-stop-token';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('starting and stopping nashra', () => {
  const bots: BotProcess[] = [];
  const telegrams: FakeTelegram[] = [];
  const run = (env: Record<string, string>, cwd?: string) => {
    const bot = new BotProcess(env, cwd);
    bots.push(bot);
    return bot;
  };
  afterEach(async () => {
    for (const bot of bots.splice(0)) bot.kill();
    for (const telegram of telegrams.splice(0)) await telegram.close();
  });

  it('refuses to start without BOT_TOKEN, with one line naming the variable', async () => {
    const bot = run({ HTTP_PORT: '0' });
    const { code } = await bot.waitForExit();
    expect(code).toBe(1);
    const stderr = bot.stderr.join('').trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain('BOT_TOKEN');
  });

  it('says where it cannot reach PostgreSQL, never with the password, and exits 1', async () => {
    const bot = run({ BOT_TOKEN: token, DATABASE_URL: 'postgres://nashra:s3cret-pw@127.0.0.1:1/nashra', HTTP_PORT: '0' });
    expect((await bot.waitForExit()).code).toBe(1);
    const stderr = bot.stderr.join('');
    expect(stderr).toMatch(/cannot start: DATABASE_URL: cannot connect to PostgreSQL at postgres:\/\/nashra@127\.0\.0\.1:1\/nashra/);
    expect(stderr + JSON.stringify(bot.logs)).not.toContain('s3cret-pw');
  });

  it('says clearly when Telegram refuses the token, and exits 1', async () => {
    const telegram = await new FakeTelegram('999:the-real-one').start();
    telegrams.push(telegram);
    const bot = run({
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: `sqlite:${path.join(makeTempDir(), 'db.sqlite')}`,
      HTTP_PORT: '0',
    });
    expect((await bot.waitForExit()).code).toBe(1);
    expect(bot.logs.some((line) => /BOT_TOKEN was refused/.test(String(line.msg)))).toBe(true);
    expect(JSON.stringify(bot.logs)).not.toContain('start-stop-token');
  });

  it('reads a .env file, answers /healthz while running, and stops on SIGINT with exit code 0', async () => {
    const telegram = await new FakeTelegram(token).start();
    telegrams.push(telegram);
    const dir = makeTempDir();
    const port = await freePort();
    fs.writeFileSync(
      path.join(dir, '.env'),
      [`BOT_TOKEN=${token}`, `TELEGRAM_API_ROOT=${telegram.apiRoot}`, `HTTP_PORT=${port}`, 'DATABASE_URL=sqlite:./data/nashra.sqlite'].join('\n'),
    );
    // Started from another working directory, as a user would run it from their own folder.
    const bot = new BotProcess({}, dir);
    bots.push(bot);
    await bot.waitForLog((line) => line.msg === 'nashra started', 20_000);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(fs.existsSync(path.join(dir, 'data', 'nashra.sqlite'))).toBe(true);
    const { code, ms } = await bot.stop('SIGINT');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
  });

  it('stops within 10 s, and sends nothing more, while a source it is reading never answers', async () => {
    const telegram = await new FakeTelegram(token).start();
    telegrams.push(telegram);
    let connections = 0;
    const hanging = net.createServer(() => (connections += 1)); // accepts connections, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const feed = `http://127.0.0.1:${(hanging.address() as net.AddressInfo).port}/feed.xml`;
    try {
      const dir = makeTempDir();
      const bot = run({
        BOT_TOKEN: token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`,
        HTTP_PORT: '0',
        FETCH_ALLOW_HOSTS: '127.0.0.1',
        SOURCES: feed,
      });
      // Adding the source at start hangs on the fetch; a SIGTERM must still end the process quickly.
      await waitUntil(() => connections > 0, 'the bot is fetching the source that never answers', 20_000);
      expect(bot.count('stopped')).toBe(0);
      // The bot is long-polling the stand-in meanwhile, so "no call after the stop" below has something to miss.
      expect(telegram.callsOf('getUpdates').length).toBeGreaterThan(0);
      const stopAt = Date.now();
      const connectionsAtStop = connections;
      const { code, ms } = await bot.stop('SIGTERM');
      expect(ms).toBeLessThan(10_000);
      expect(code).toBe(0);
      expect(bot.count('stopped')).toBe(1);
      // Nothing went out once the stop began: no call to Telegram, no new connection to the source.
      expect(telegram.calls.filter((call) => call.at >= stopAt).map((call) => call.method)).toEqual([]);
      expect(connections).toBe(connectionsAtStop);
    } finally {
      hanging.close();
    }
  });

  it('refuses a second bot on the same database file, and starts again after the first was killed with -9', async () => {
    const telegram = await new FakeTelegram(token).start();
    telegrams.push(telegram);
    const env = {
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: `sqlite:${path.join(makeTempDir(), 'shared.sqlite')}`,
      HTTP_PORT: '0',
    };
    const first = run(env);
    await first.waitForLog((line) => line.msg === 'nashra started', 20_000);
    const second = run(env);
    expect((await second.waitForExit()).code).toBe(1);
    expect(second.stderr.join('')).toMatch(/DATABASE_URL: .*shared\.sqlite is in use by another nashra process/);

    first.kill();
    await first.waitForExit();
    const third = run(env);
    await third.waitForLog((line) => line.msg === 'nashra started', 20_000);
    expect((await third.stop('SIGTERM')).code).toBe(0);
  });

  it('starts with `npm start` as the README says, and stops cleanly when npm is sent SIGTERM', async () => {
    const telegram = await new FakeTelegram(token).start();
    telegrams.push(telegram);
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? makeTempDir(),
        BOT_TOKEN: token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        DATABASE_URL: `sqlite:${path.join(makeTempDir(), 'npm-start.sqlite')}`,
        HTTP_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    let stdout = '';
    npm.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const messages = () =>
      stdout.split('\n').flatMap((line) => {
        try {
          return [String((JSON.parse(line) as { msg?: unknown }).msg)];
        } catch {
          return [];
        }
      });
    try {
      await waitUntil(() => messages().includes('nashra started') || npm.exitCode !== null, 'npm start has started the bot', 30_000);
      expect(messages()).toContain('nashra started');
      // The bot answers Telegram: it identified itself through the stand-in.
      expect(telegram.callsOf('getMe').length).toBeGreaterThan(0);
      npm.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(messages()).toContain('stopped');
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
    }
  }, 40_000);
});
