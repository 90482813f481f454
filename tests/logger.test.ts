import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRedactor, redactWrites } from '../src/logger.js';

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
