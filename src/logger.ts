import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** What a redacted secret is written as. */
export const redactedMark = '[redacted]';

/**
 * Shorter secrets are not searched for: a three-letter database password would turn every word that
 * holds it into `[redacted]` (such a password is guessed faster than it is read from a log anyway).
 */
export const minSecretLength = 4;

/**
 * Every form in which a secret could show up in text: the secret itself and, for a bot token
 * (`123456:ABC…`), its part after the colon alone (a URL-encoded token, `123456%3AABC…`, still
 * carries it). Parts too short to be secret are left out so ordinary words are never redacted.
 */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < minSecretLength) continue;
    forms.add(secret);
    const colon = secret.indexOf(':');
    if (colon !== -1 && secret.length - colon - 1 >= 8) forms.add(secret.slice(colon + 1));
  }
  // The longest first, so the whole token becomes one mark rather than `123456:[redacted]`.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Text with every form of every secret replaced by `[redacted]` (plain substring search, linear). */
export type Redactor = (text: string) => string;

/** A redactor for these secrets (the bot token, the webhook secret, the database password); the identity when there are none. */
export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = secretForms(secrets);
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(redactedMark);
    return out;
  };
}

/**
 * Makes every later `write` to `stream` (process.stdout or process.stderr) redact `secrets`:
 * whatever a library prints there (grammY runner's console.error with a request URL, a Node
 * warning, an error's stack) can never carry a secret. Buffers are rewritten only when they hold
 * one, so a multi-byte character split between two writes is never garbled.
 */
export function redactWrites(stream: NodeJS.WriteStream, secrets: readonly string[]): void {
  const forms = secretForms(secrets);
  if (forms.length === 0) return;
  const redact = createRedactor(secrets);
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') return write(redact(chunk), ...rest);
    if (chunk instanceof Uint8Array) {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (forms.some((form) => bytes.includes(form))) return write(Buffer.from(redact(bytes.toString('utf8')), 'utf8'), ...rest);
    }
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

/**
 * JSON lines on stdout. The bot token is part of every Bot API URL, and a database driver's error may
 * quote its connection string, so each line (messages, and the `err` objects with their message,
 * stack and causes) is redacted of every secret before it is written.
 */
export function createLogger(options: { level: string; secrets?: string[]; destination?: DestinationStream }): Logger {
  const redact = createRedactor(options.secrets ?? []);
  const settings = {
    level: options.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      streamWrite: redact,
    },
  };
  // stdout unless a test gives another destination.
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
