import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { urlPasswords } from '../src/config.js';
import { createLogger, createRedactor, minSecretLength, redactWrites } from '../src/logger.js';

const token = '123456789:AAFsecret-part_of-the-token';

describe('redacting the bot token', () => {
  it('replaces the whole token, and its secret part alone, wherever it appears', () => {
    const redact = createRedactor([token]);
    expect(redact(`request to http://x/bot${token}/getUpdates failed`)).toBe('request to http://x/bot[redacted]/getUpdates failed');
    expect(redact('bot123456789%3AAAFsecret-part_of-the-token/getMe')).toBe('bot123456789%3A[redacted]/getMe');
    expect(redact('{"stack":"Error: AAFsecret-part_of-the-token\\n at x"}')).toBe('{"stack":"Error: [redacted]\\n at x"}');
    expect(redact('123456789 is a chat id')).toBe('123456789 is a chat id');
    expect(createRedactor([])('anything')).toBe('anything');
  });

  it('redacts what is written to a stream, strings and buffers alike, and leaves other bytes untouched', () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    redactWrites(stream as unknown as NodeJS.WriteStream, [token]);
    stream.write(`[grammY runner] FetchError: request to http://127.0.0.1/bot${token}/getUpdates failed\n`);
    stream.write(Buffer.from(`secret AAFsecret-part_of-the-token\n`));
    const arabic = Buffer.from('خبر', 'utf8');
    stream.write(arabic.subarray(0, 3));
    stream.write(arabic.subarray(3));
    const out = Buffer.concat(chunks).toString('utf8');
    expect(out).not.toContain('AAFsecret');
    expect(out).toContain('bot[redacted]/getUpdates');
    expect(out).toContain('secret [redacted]\n');
    expect(out.endsWith('خبر')).toBe(true);
  });
});

describe('redacting a database password', () => {
  const databaseUrl = 'postgres://nashra:Tr0ub4dor%263@db.internal:5432/nashra';
  const secrets = ['123456789:AAFsecret-part_of-the-token', ...urlPasswords(databaseUrl)];

  it('keeps the password of DATABASE_URL out of log lines, as written and decoded, in messages, errors and causes', () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (chunk: Buffer) => chunks.push(chunk));
    const logger = createLogger({ level: 'info', secrets, destination: sink });
    const cause = new Error('password authentication failed (tried "Tr0ub4dor&3")');
    logger.error({ err: new Error(`connect to ${databaseUrl} failed`, { cause }), databaseUrl }, `store unreachable at ${databaseUrl}`);
    const out = Buffer.concat(chunks).toString('utf8');
    expect(out).toContain('password authentication failed');
    expect(out).not.toContain('Tr0ub4dor');
    expect(out).toContain('postgres://nashra:[redacted]@db.internal:5432/nashra');
    const line = JSON.parse(out) as { msg: string; err: unknown; databaseUrl: string };
    expect(line.msg).toBe('store unreachable at postgres://nashra:[redacted]@db.internal:5432/nashra');
    expect(line.databaseUrl).toBe('postgres://nashra:[redacted]@db.internal:5432/nashra');
    // pino writes the cause into the error's message and stack.
    expect(JSON.stringify(line.err)).toContain('(tried \\"[redacted]\\")');
  });

  it('redacts it from what is written to stderr too', () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    redactWrites(stream as unknown as NodeJS.WriteStream, secrets);
    stream.write(`Error: getaddrinfo ENOTFOUND for ${databaseUrl}\n`);
    expect(Buffer.concat(chunks).toString('utf8')).toBe('Error: getaddrinfo ENOTFOUND for postgres://nashra:[redacted]@db.internal:5432/nashra\n');
  });

  it('leaves a password shorter than 4 characters alone rather than redact every word that holds it', () => {
    const redact = createRedactor(urlPasswords('postgres://u:abc@h/db'));
    expect(redact('abcdef')).toBe('abcdef');
    expect(minSecretLength).toBe(4);
  });
});
