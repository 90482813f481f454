import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { ReadinessReport } from './readiness.js';

export interface HealthServer {
  /** The port actually listened on (useful when 0 was asked for an ephemeral one in tests). */
  port: number;
  close(): Promise<void>;
}

/** What the webhook endpoint does with an update: queued (200), or turned away (503, Telegram retries). */
export type WebhookAcceptance = 'queued' | 'full' | 'closed';

/** An update as Telegram posts it: a JSON object with a numeric update_id. */
export type WebhookUpdate = Record<string, unknown> & { update_id: number };

/** The webhook side of the server: where Telegram posts updates, and who takes them. */
export interface WebhookEndpoint {
  /** The path of WEBHOOK_URL, e.g. `/telegram/updates`. */
  path: string;
  /** WEBHOOK_SECRET: Telegram sends it in X-Telegram-Bot-Api-Secret-Token. */
  secret: string;
  /** Takes one update off the request path; must not wait for its handling. */
  accept(update: WebhookUpdate): WebhookAcceptance;
  /** How each request was answered (for metrics). */
  onRequest?(result: 'accepted' | 'unauthorized' | 'full' | 'closed' | 'bad-request'): void;
}

export interface HealthServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  /** Liveness: true while the process runs and is not stopping. */
  isAlive: () => boolean;
  /** Readiness: the database, the scheduler and the update loop (absent: /readyz answers like /healthz). */
  ready?: () => Promise<ReadinessReport>;
  /** The Prometheus exposition (absent: /metrics is 404). */
  metrics?: { text(): Promise<string>; contentType: string };
  webhook?: WebhookEndpoint;
}

/** Largest webhook body read; an update is a few kilobytes, a long message with entities tens. */
const maxWebhookBodyBytes = 1024 * 1024;
/** How often refused webhook requests that go on are reported again. */
const refusalReportMs = 60_000;

/**
 * The operator's HTTP server (node:http, no framework):
 * - `GET /healthz` 200 while the process runs (503 once it is stopping): liveness;
 * - `GET /readyz` 200 when the database answers, the scheduler ticks and the update loop runs, else
 *   503 with a JSON body saying which check failed: readiness;
 * - `GET /metrics` Prometheus text;
 * - `POST <webhook path>` Telegram's updates in webhook mode, checked against the secret token,
 *   answered at once and handled off the request path.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { logger, webhook } = options;
  const secretDigest = webhook ? digest(webhook.secret) : null;
  let refusals = 0;
  let lastRefusalReport = 0;

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  function reportRefusal(req: http.IncomingMessage): void {
    refusals += 1;
    const now = Date.now();
    if (now - lastRefusalReport < refusalReportMs) return;
    lastRefusalReport = now;
    // Whether a token came, never its value.
    logger.warn(
      { remote: req.socket.remoteAddress, tokenSent: req.headers['x-telegram-bot-api-secret-token'] !== undefined, refusals },
      'webhook request refused: wrong or missing secret token',
    );
    refusals = 0;
  }

  async function handleWebhook(req: http.IncomingMessage, res: http.ServerResponse, endpoint: WebhookEndpoint): Promise<void> {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' });
      res.end();
      return;
    }
    const sent = req.headers['x-telegram-bot-api-secret-token'];
    // Compared as digests: equal lengths for timingSafeEqual, and nothing learned from timing.
    if (typeof sent !== 'string' || !timingSafeEqual(digest(sent), secretDigest!)) {
      endpoint.onRequest?.('unauthorized');
      reportRefusal(req);
      res.writeHead(401, { connection: 'close' });
      res.end();
      req.resume();
      return;
    }
    const body = await readBody(req, maxWebhookBodyBytes);
    if (body === null) {
      endpoint.onRequest?.('bad-request');
      res.writeHead(413, { connection: 'close' });
      res.end(() => req.destroy());
      return;
    }
    const update = parseUpdate(body);
    if (!update) {
      endpoint.onRequest?.('bad-request');
      json(res, 400, { ok: false, error: 'not an update' });
      return;
    }
    const accepted = endpoint.accept(update);
    if (accepted === 'queued') {
      endpoint.onRequest?.('accepted');
      res.writeHead(200);
      res.end();
      return;
    }
    // Telegram retries a failed delivery later, with growing delays: nothing is lost.
    endpoint.onRequest?.(accepted);
    json(res, 503, { ok: false, error: accepted === 'full' ? 'busy' : 'not accepting updates' });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = req.url?.split('?')[0] ?? '';
    if (webhook && path === webhook.path) return handleWebhook(req, res, webhook);
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { ok: false, error: 'method not allowed' });
    if (path === '/healthz') {
      const ok = options.isAlive();
      return json(res, ok ? 200 : 503, { ok });
    }
    if (path === '/readyz') {
      if (!options.isAlive()) return json(res, 503, { ok: false, error: 'stopping' });
      const report = options.ready ? await options.ready() : { ok: true };
      return json(res, report.ok ? 200 : 503, report);
    }
    if (path === '/metrics' && options.metrics) {
      const text = await options.metrics.text();
      res.writeHead(200, { 'content-type': options.metrics.contentType });
      res.end(text);
      return;
    }
    json(res, 404, { ok: false, error: 'not found' });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err, path: req.url?.split('?')[0] }, 'health server request failed');
      if (!res.headersSent) json(res, 500, { ok: false, error: 'internal error' });
      else res.destroy();
    });
  });
  // A client that sends its request slowly holds a socket for seconds, not minutes.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, ...(webhook ? { webhookPath: webhook.path } : {}) }, 'health server listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The request body, or null when it is larger than `limit` bytes. */
async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The update in a webhook body, or null when it is not a JSON object with a whole-number update_id. */
function parseUpdate(body: Buffer): WebhookUpdate | null {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const id = (value as { update_id?: unknown }).update_id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? (value as WebhookUpdate) : null;
}
