import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadTelegramFile, TelegramFileError } from '../../src/sources/telegram-file.js';
import { startLocalHttpServer, type LocalHttpServer } from './local-http-server.js';

const token = '123456:SECRET-token';

describe('downloadTelegramFile', () => {
  let api: LocalHttpServer;

  beforeEach(async () => {
    api = await startLocalHttpServer((request, response) => {
      const url = request.url ?? '';
      if (url === `/file/bot${token}/documents/file_1.opml`) {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        return void response.end('<opml/>');
      }
      if (url === `/file/bot${token}/documents/big.opml`) {
        // No content-length: the cap must hold while streaming.
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
        for (let i = 0; i < 64; i++) response.write(Buffer.alloc(32 * 1024, 0x61));
        return void response.end();
      }
      if (url.includes('/hang')) return; // never answers
      response.writeHead(404);
      response.end();
    });
  });

  afterEach(async () => {
    await api.close();
  });

  it('downloads a file from the Bot API’s file URL', async () => {
    const body = await downloadTelegramFile({ apiRoot: api.origin, token, filePath: 'documents/file_1.opml' });
    expect(body.toString('utf8')).toBe('<opml/>');
  });

  it('stops reading a file larger than its cap', async () => {
    const download = downloadTelegramFile({ apiRoot: api.origin, token, filePath: 'documents/big.opml', maxBytes: 1024 * 1024 });
    await expect(download).rejects.toMatchObject({ code: 'too_large' });
  });

  it('reports a missing file, and a hung one within its timeout, without the token in the message', async () => {
    const missing = await downloadTelegramFile({ apiRoot: api.origin, token, filePath: 'documents/none.opml' }).catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(TelegramFileError);
    expect(missing).toMatchObject({ code: 'http_status', status: 404 });
    const started = Date.now();
    const hung = await downloadTelegramFile({ apiRoot: api.origin, token, filePath: 'hang', timeoutMs: 300 }).catch((err: unknown) => err);
    expect(hung).toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
    for (const err of [missing, hung]) expect(String((err as Error).message)).not.toContain('SECRET');
  });
});
