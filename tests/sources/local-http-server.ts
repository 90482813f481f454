import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on 127.0.0.1 that counts the requests it receives. */
export interface LocalHttpServer {
  /** `http://127.0.0.1:PORT` without a trailing slash. */
  origin: string;
  port: number;
  /** Every request received, in order. */
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 and an ephemeral port; only loopback is ever used by these tests. */
export async function startLocalHttpServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<LocalHttpServer> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Tests leave hanging responses on purpose (timeouts); do not wait for them to finish.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reads a file from tests/fixtures/feeds/. */
export function readFeedFixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url));
}
