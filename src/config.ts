import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  );

/** A whole number from 1 to `max`, with a message saying what it counts. */
function positiveInt(what: string, fallback: number, max: number) {
  const message = `must be a whole number from 1 to ${max} (${what})`;
  return z.coerce.number({ error: message }).int(message).min(1, message).max(max, message).default(fallback);
}

const envSchema = z.object({
  BOT_TOKEN: z
    .string({ error: 'is required: the token @BotFather gave you' })
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-DEF… (the token @BotFather gave you)'),
  TELEGRAM_API_ROOT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://api.telegram.org' })
    .default('https://api.telegram.org')
    .transform((value) => value.replace(/\/+$/, '')),
  DATABASE_URL: z.string().trim().min(1).default('sqlite:./data/nashra.sqlite'),
  BOT_ADMINS: commaList.pipe(
    z.array(z.string().regex(/^\d+$/, 'must be a comma-separated list of numeric Telegram user ids')),
  ),
  SOURCES: commaList,
  POLL_CRON: z
    .string()
    .trim()
    .default('*/5 * * * *')
    .refine((value) => cron.validate(value), 'is not a valid cron expression (five fields, or six with seconds)'),
  DEFAULT_LOCALE: z.enum(['ar', 'en'], { error: 'must be ar or en' }).default('ar'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  HTTP_PORT: z.coerce
    .number({ error: 'must be a port number (0 turns the server off)' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(8080),
  FETCH_ALLOW_HOSTS: commaList.transform((hosts) => hosts.map((host) => host.toLowerCase())),
  WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://bot.example.com/telegram' }).optional(),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1 to 256 characters, each A-Z, a-z, 0-9, _ or -')
    .optional(),
  // Most of a poll is waiting on the network (a hung server holds its slot for the whole fetch
  // timeout); CPU work is bounded by the worker pool, so many slots cost little.
  POLL_CONCURRENCY: positiveInt('polls running at once', 64, 512),
  POLL_HOST_CONCURRENCY: positiveInt('polls running at once against one host', 2, 64),
  POSTS_PER_POLL: positiveInt('new items of one source posted per poll', 20, 1000),
  // Telegram's limit for a bot is about 30 messages a second overall; raise it only where Telegram
  // allows this bot more (paid broadcasts) or against a test server.
  SEND_RATE: positiveInt('messages a second the bot sends at most, overall', 30, 1000),
  WORKER_THREADS: positiveInt('worker threads for parsing and text work', Math.max(1, Math.min(4, os.availableParallelism() - 1)), 32),
});

/** Every environment variable nashra reads (docker-compose.yml is checked against this list). */
export const configVariables: readonly string[] = Object.keys(envSchema.shape);

/** Where the store lives, parsed from DATABASE_URL: a SQLite file, or a PostgreSQL database (the URL as given). */
export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** Webhook mode: Telegram posts updates to `url`, answered by the HTTP server at `path`. */
export interface WebhookConfig {
  url: string;
  /** The URL's path, where the HTTP server takes the updates. */
  path: string;
  secret: string;
}

/** The whole validated configuration, built once at start and passed down. */
export interface Config {
  botToken: string;
  telegramApiRoot: string;
  database: DatabaseTarget;
  botAdmins: ReadonlySet<number>;
  sources: string[];
  pollCron: string;
  defaultLocale: 'ar' | 'en';
  logLevel: string;
  httpPort: number;
  fetchAllowHosts: string[];
  /** Polls running at once, overall and against one host. */
  pollConcurrency: number;
  pollHostConcurrency: number;
  /** New items of one source posted per poll; the rest are stored and searchable. */
  postsPerPoll: number;
  /** Messages a second sent at most, overall, by all replicas together (Telegram's 30 by default). */
  sendRatePerSecond: number;
  /** Worker threads that parse feeds and prepare their text off the main thread. */
  workerThreads: number;
  /** Version of nashra, for the User-Agent and /status. */
  version: string;
  /** Webhook mode when set (WEBHOOK_URL and WEBHOOK_SECRET); long polling when null. */
  webhook: WebhookConfig | null;
  /** Everything that must never be written out: the token, the webhook secret, the database password. */
  secrets: string[];
}

/** A configuration problem, with the variable it concerns; main prints it as one line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads a DATABASE_URL value (also `npm run migrate-store`'s --from and --to).
 * @throws ConfigError saying what is wrong, never repeating the value (it may hold a password).
 */
export function parseDatabaseUrl(value: string, cwd: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(value)) {
    // The message never repeats the value: it may hold a password.
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError('DATABASE_URL: is not a valid URL (for example postgres://user:password@host:5432/nashra)');
    }
    if (url.hostname === '' && !url.searchParams.has('host')) {
      throw new ConfigError('DATABASE_URL: names no host (for example postgres://user:password@host:5432/nashra)');
    }
    return { kind: 'postgres', url: value };
  }
  const match = /^sqlite:(.+)$/i.exec(value);
  if (!match?.[1]) {
    throw new ConfigError('DATABASE_URL: must start with sqlite: or postgres:// (for example sqlite:./data/nashra.sqlite)');
  }
  // Accept sqlite:/abs, sqlite:./rel and sqlite:///abs (URL style).
  const raw = match[1].replace(/^\/\/(?=\/)/, '');
  return { kind: 'sqlite', path: path.resolve(cwd, raw) };
}

/** Paths the HTTP server answers itself, which the webhook cannot take. */
const reservedPaths = new Set(['/healthz', '/readyz', '/metrics']);

function parseWebhook(url: string | undefined, secret: string | undefined, httpPort: number): WebhookConfig | null {
  if (url === undefined) {
    if (secret !== undefined) throw new ConfigError('WEBHOOK_SECRET: is set but WEBHOOK_URL is not (set both for webhook mode, neither for long polling)');
    return null;
  }
  if (secret === undefined) {
    throw new ConfigError('WEBHOOK_SECRET: is required when WEBHOOK_URL is set (1 to 256 characters, each A-Z, a-z, 0-9, _ or -)');
  }
  if (httpPort === 0) throw new ConfigError('HTTP_PORT: must not be 0 when WEBHOOK_URL is set (the HTTP server receives the updates)');
  const path = new URL(url).pathname;
  if (reservedPaths.has(path)) throw new ConfigError(`WEBHOOK_URL: its path must not be ${path} (the HTTP server answers it itself)`);
  return { url, path, secret };
}

/**
 * The password in a connection URL (`postgres://user:pass@host/db`), as written and decoded, so that
 * either form can be redacted; none when the URL carries none.
 */
export function urlPasswords(value: string): string[] {
  const scheme = value.indexOf('://');
  if (scheme === -1) return [];
  const rest = value.slice(scheme + 3);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const at = authority.lastIndexOf('@');
  if (at === -1) return [];
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon === -1) return [];
  const raw = userinfo.slice(colon + 1);
  if (raw.length === 0) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape: the raw form is what would be written out.
  }
  return [...new Set([raw, decoded])];
}

function readPackageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Loads `.env` from the working directory when present. Variables already set in the
 * environment win, as users expect.
 */
export function loadDotEnv(cwd: string = process.cwd()): void {
  const file = path.join(cwd, '.env');
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

/**
 * Validates `env` against `schema`. An empty value (`HTTP_PORT=` in .env) means "not set", so the
 * default applies.
 * @throws ConfigError naming the first variable that is missing or wrong.
 */
function parseEnv<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv): z.output<Schema> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const variable = String(issue?.path[0] ?? 'environment');
  const message = issue?.code === 'invalid_type' && present[variable] === undefined ? 'is required' : issue?.message;
  throw new ConfigError(`${variable}: ${message ?? 'is invalid'}`);
}

/**
 * Validates the environment and builds the configuration.
 * @throws ConfigError naming the first variable that is missing or wrong.
 */
export function createConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const e = parseEnv(envSchema, env);
  return {
    botToken: e.BOT_TOKEN,
    telegramApiRoot: e.TELEGRAM_API_ROOT,
    database: parseDatabaseUrl(e.DATABASE_URL, cwd),
    botAdmins: new Set(e.BOT_ADMINS.map(Number)),
    sources: e.SOURCES,
    pollCron: e.POLL_CRON,
    defaultLocale: e.DEFAULT_LOCALE,
    logLevel: e.LOG_LEVEL,
    httpPort: e.HTTP_PORT,
    fetchAllowHosts: e.FETCH_ALLOW_HOSTS,
    pollConcurrency: e.POLL_CONCURRENCY,
    pollHostConcurrency: e.POLL_HOST_CONCURRENCY,
    postsPerPoll: e.POSTS_PER_POLL,
    sendRatePerSecond: e.SEND_RATE,
    workerThreads: e.WORKER_THREADS,
    version: readPackageVersion(),
    webhook: parseWebhook(e.WEBHOOK_URL, e.WEBHOOK_SECRET, e.HTTP_PORT),
    secrets: [e.BOT_TOKEN, ...(e.WEBHOOK_SECRET ? [e.WEBHOOK_SECRET] : []), ...urlPasswords(e.DATABASE_URL)],
  };
}

/** What `npm run preview` needs: no token, no database. */
export interface PreviewConfig {
  fetchAllowHosts: string[];
  /** Version of nashra, for the User-Agent. */
  version: string;
}

/**
 * Validates the few variables `npm run preview` reads (FETCH_ALLOW_HOSTS), ignoring the bot's own.
 * @throws ConfigError naming the variable that is wrong.
 */
export function createPreviewConfig(env: NodeJS.ProcessEnv = process.env): PreviewConfig {
  const e = parseEnv(envSchema.pick({ FETCH_ALLOW_HOSTS: true }), env);
  return { fetchAllowHosts: e.FETCH_ALLOW_HOSTS, version: readPackageVersion() };
}

/** What `npm run reindex` needs: the database, worker threads and log level, no token. */
export interface ReindexConfig {
  database: DatabaseTarget;
  workerThreads: number;
  logLevel: string;
  /** The database password, if DATABASE_URL carries one: redacted from everything reindex writes. */
  secrets: string[];
}

/**
 * Validates the variables `npm run reindex` reads.
 * @throws ConfigError naming the first variable that is wrong.
 */
export function createReindexConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ReindexConfig {
  const e = parseEnv(envSchema.pick({ DATABASE_URL: true, WORKER_THREADS: true, LOG_LEVEL: true }), env);
  return {
    database: parseDatabaseUrl(e.DATABASE_URL, cwd),
    workerThreads: e.WORKER_THREADS,
    logLevel: e.LOG_LEVEL,
    secrets: urlPasswords(e.DATABASE_URL),
  };
}
