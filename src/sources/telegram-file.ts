import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';

/** Why a file could not be downloaded from the Bot API. */
export type TelegramFileErrorCode = 'too_large' | 'http_status' | 'timeout' | 'network';

/**
 * A failed download. Its message never contains the download URL: that URL carries the bot's token.
 */
export class TelegramFileError extends Error {
  override readonly name = 'TelegramFileError';
  constructor(
    readonly code: TelegramFileErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** What {@link downloadTelegramFile} needs. */
export interface TelegramFileRequest {
  /** The configured Bot API root, e.g. `https://api.telegram.org` (no trailing slash). */
  apiRoot: string;
  token: string;
  /** `file_path` from getFile. */
  filePath: string;
  /** Largest file accepted. Default 1 MB. */
  maxBytes?: number;
  /** Budget for the whole download. Default 20 000 ms. */
  timeoutMs?: number;
}

/**
 * Downloads a file a user sent to the bot (`${apiRoot}/file/bot${token}/${filePath}`), stopping as
 * soon as it exceeds `maxBytes`. The host is our own configured Bot API, not a user-supplied URL, so
 * the private-address guard of source fetching does not apply (a self-hosted Bot API is often local).
 * @throws TelegramFileError
 */
export async function downloadTelegramFile(input: TelegramFileRequest): Promise<Buffer> {
  const maxBytes = input.maxBytes ?? 1024 * 1024;
  const timeoutMs = input.timeoutMs ?? 20_000;
  const path = input.filePath.split('/').map(encodeURIComponent).join('/');
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const response = await request(`${input.apiRoot}/file/bot${input.token}/${path}`, {
      method: 'GET',
      signal: deadline,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new TelegramFileError('http_status', `Bot API answered HTTP ${response.statusCode}`, response.statusCode);
    }
    const declared = Number(response.headers['content-length'] ?? Number.NaN);
    if (declared > maxBytes) {
      await response.body.dump();
      throw new TelegramFileError('too_large', `file larger than ${maxBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    await pipeline(
      response.body,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          total += chunk.length;
          if (total > maxBytes) return done(new TelegramFileError('too_large', `file larger than ${maxBytes} bytes`));
          chunks.push(chunk);
          done();
        },
      }),
    );
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof TelegramFileError) throw err;
    if (deadline.aborted) throw new TelegramFileError('timeout', 'file download timed out');
    const code = err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.name) : 'unknown';
    // Only the error code: undici's messages may quote the URL, which holds the token.
    throw new TelegramFileError('network', `file download failed: ${code}`);
  }
}
