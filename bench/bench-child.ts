import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Benchmarks that measure a process's memory and event loop run the measured code in a child
 * process of its own, so the stand-in servers (feeds, Bot API) in the parent neither add to its
 * RSS nor delay its loop, as remote servers would not. Parent and child talk over IPC: a request
 * `{ id, ...body }` gets one reply `{ id, ...result }` (or `{ id, error }`); anything else the child
 * sends is an event.
 */
export interface BenchChild {
  request<T = Record<string, unknown>>(body: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Called with every message that is not a reply. */
  onEvent(listener: (event: Record<string, any>) => void): void;
  /** Resolves when the child has exited; kills it if it has not within `graceMs`. */
  exit(graceMs?: number): Promise<void>;
  readonly pid: number;
}

/** Forks `bench/<file>` under tsx (the child runs the TypeScript sources, as `npm start` does). */
export function forkBenchChild(file: string): BenchChild {
  const child: ChildProcess = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const pending = new Map<number, { resolve: (value: any) => void; reject: (err: Error) => void }>();
  const listeners: Array<(event: Record<string, any>) => void> = [];
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (message: Record<string, any>) => {
    const waiter = typeof message.id === 'number' ? pending.get(message.id) : undefined;
    if (!waiter) {
      for (const listener of listeners) listener(message);
      return;
    }
    pending.delete(message.id as number);
    if (message.error) waiter.reject(new Error(`bench child ${file}: ${String(message.error)}`));
    else waiter.resolve(message);
  });
  child.once('exit', (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`bench child ${file} exited (${code ?? signal})`));
    pending.clear();
  });

  return {
    pid: child.pid ?? 0,
    request(body, timeoutMs = 120_000) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`bench child ${file}: no answer to ${String(body.kind)} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => (clearTimeout(timer), resolve(value)),
          reject: (err) => (clearTimeout(timer), reject(err)),
        });
        child.send({ id, ...body });
      });
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    async exit(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The child's side: answers each request with what `handle` returns (or its error's message).
 * `handle` may call `emit` for events.
 */
export function serveBenchRequests(handle: (body: Record<string, any>) => Promise<Record<string, unknown>>): void {
  process.on('message', (message: Record<string, any>) => {
    const { id, ...body } = message;
    handle(body).then(
      (result) => process.send?.({ id, ...result }),
      (err: unknown) => process.send?.({ id, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
    );
  });
}

/** Sends an event to the parent (a log line, a timestamp). */
export function emitBenchEvent(event: Record<string, unknown>): void {
  process.send?.(event);
}

/** Peak resident set size of this process since it started, MB (the OS's high-water mark). */
export function peakRssMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / 1e6;
}
