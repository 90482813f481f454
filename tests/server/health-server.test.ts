import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer, type HealthServerOptions, type WebhookUpdate } from '../../src/server/health-server.js';
import type { LogLine } from '../helpers/bot-process.js';

const secret = 'Webhook_secret-0123456789';

function captureLogger() {
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logs, logger: pino({ level: 'debug', base: undefined }, sink) };
}

describe('the HTTP server', () => {
  const servers: HealthServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  async function start(options: Partial<HealthServerOptions> = {}) {
    const { logs, logger } = captureLogger();
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', logger, isAlive: () => true, ...options });
    servers.push(server);
    const base = `http://127.0.0.1:${server.port}`;
    return { logs, base };
  }

  it('answers /healthz 200 while alive and 503 once stopping', async () => {
    let alive = true;
    const { base } = await start({ isAlive: () => alive });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    alive = false;
    const stopping = await fetch(`${base}/healthz`);
    expect(stopping.status).toBe(503);
    expect(await stopping.json()).toEqual({ ok: false });
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });

  it('answers /readyz with the report, 200 when ready and 503 naming the failed check when not', async () => {
    let database = true;
    const { base } = await start({
      ready: async () => ({
        ok: database,
        checks: {
          database: database ? { ok: true } : { ok: false, error: 'the database did not answer within 2000 ms' },
          scheduler: { ok: true },
          updates: { ok: true },
        },
      }),
    });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true });
    database = false;
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ok: false, checks: { database: { ok: false, error: /did not answer/ } } });
  });

  it('serves /metrics as Prometheus text', async () => {
    const { base } = await start({ metrics: { text: async () => 'nashra_up 1\n', contentType: 'text/plain; version=0.0.4; charset=utf-8' } });
    const answer = await fetch(`${base}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    expect(await answer.text()).toBe('nashra_up 1\n');
  });

  it('answers 500 when a check throws, and keeps serving', async () => {
    const { base, logs } = await start({ metrics: { text: () => Promise.reject(new Error('registry broke')), contentType: 'text/plain' } });
    expect((await fetch(`${base}/metrics`)).status).toBe(500);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(logs.some((line) => line.msg === 'health server request failed')).toBe(true);
  });

  describe('the webhook', () => {
    async function startWebhook(accept: (update: WebhookUpdate) => 'queued' | 'full' | 'closed') {
      const results: string[] = [];
      const started = await start({ webhook: { path: '/tg/updates', secret, accept, onRequest: (result) => results.push(result) } });
      const post = (body: string, token?: string, path = '/tg/updates') =>
        fetch(`${started.base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { 'x-telegram-bot-api-secret-token': token }) },
          body,
        });
      return { ...started, post, results };
    }

    it('takes an update with the right secret token and answers 200 at once', async () => {
      const accepted: WebhookUpdate[] = [];
      const { post, results } = await startWebhook((update) => {
        accepted.push(update);
        return 'queued';
      });
      const answer = await post(JSON.stringify({ update_id: 42, message: { text: 'مرحبا' } }), secret);
      expect(answer.status).toBe(200);
      expect(accepted).toEqual([{ update_id: 42, message: { text: 'مرحبا' } }]);
      expect(results).toEqual(['accepted']);
    });

    it('refuses a request without the secret token, or with a wrong one, and logs it without the value', async () => {
      const accepted: WebhookUpdate[] = [];
      const { post, logs, results } = await startWebhook((update) => {
        accepted.push(update);
        return 'queued';
      });
      const update = JSON.stringify({ update_id: 1 });
      expect((await post(update)).status).toBe(401);
      expect((await post(update, 'guessed-Token-123')).status).toBe(401);
      expect((await post(update, `${secret}x`)).status).toBe(401);
      expect((await post(update, secret.slice(0, -1))).status).toBe(401);
      expect(accepted).toEqual([]);
      expect(results).toEqual(['unauthorized', 'unauthorized', 'unauthorized', 'unauthorized']);
      // Reported once (then at most once a minute), never with what was sent.
      const refused = logs.filter((line) => line.msg === 'webhook request refused: wrong or missing secret token');
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ level: 40, tokenSent: false, remote: '127.0.0.1' });
      expect(JSON.stringify(logs)).not.toContain('guessed-Token');
      expect(JSON.stringify(logs)).not.toContain(secret.slice(0, 10));
    });

    it('answers 503 when the queue is full or the app is stopping, so Telegram sends it again', async () => {
      let answer: 'full' | 'closed' = 'full';
      const { post, results } = await startWebhook(() => answer);
      expect((await post(JSON.stringify({ update_id: 1 }), secret)).status).toBe(503);
      answer = 'closed';
      expect((await post(JSON.stringify({ update_id: 1 }), secret)).status).toBe(503);
      expect(results).toEqual(['full', 'closed']);
    });

    it('refuses what is not an update: bad JSON, no update_id, too large, or not a POST', async () => {
      const accepted: WebhookUpdate[] = [];
      const { post, base } = await startWebhook((update) => {
        accepted.push(update);
        return 'queued';
      });
      expect((await post('{not json', secret)).status).toBe(400);
      expect((await post('[1,2]', secret)).status).toBe(400);
      expect((await post(JSON.stringify({ update_id: 'one' }), secret)).status).toBe(400);
      expect((await post(JSON.stringify({ update_id: 1, text: 'x'.repeat(1_100_000) }), secret)).status).toBe(413);
      expect((await fetch(`${base}/tg/updates`)).status).toBe(405);
      // The webhook lives at its own path only.
      expect((await post(JSON.stringify({ update_id: 1 }), secret, '/tg/other')).status).toBe(405);
      expect(accepted).toEqual([]);
    });
  });
});
