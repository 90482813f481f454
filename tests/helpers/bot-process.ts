import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The command `npm start` runs, read from package.json so the test starts the bot exactly that way.
 * Module and file names are made absolute so the bot can also be started from another working
 * directory (where its .env and data folder are).
 */
function startCommand(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } };
  // `exec` makes the shell npm uses replace itself with node, so npm's SIGTERM reaches node.
  const parts = pkg.scripts.start.replace(/^exec\s+/, '').split(/\s+/);
  if (parts[0] !== 'node') throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return parts.slice(1).map((part, index, all) => {
    if (all[index - 1] === '--import') return import.meta.resolve(part);
    return part.endsWith('.ts') ? path.join(repoRoot, part) : part;
  });
}

export type LogLine = Record<string, any> & { msg?: string; level?: number };

/**
 * nashra running as a child process, started the way `npm start` starts it, with its JSON log lines
 * parsed so a test can wait for what the bot says it did.
 */
export class BotProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  private child!: ChildProcess;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private listeners = new Set<() => void>();

  constructor(readonly env: Record<string, string>, readonly cwd: string = repoRoot) {
    const args = startCommand();
    this.child = spawn(process.execPath, args, {
      cwd: this.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.logs.push({ msg: line, raw: true });
        }
        for (const notify of [...this.listeners]) notify();
      }
    });
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the first log line matching, or fails with the log so far. */
  async waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 15_000, from = 0): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.slice(from).find(predicate);
      if (found) return found;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(
          `no matching log line within ${timeoutMs} ms (exit code ${this.child.exitCode}); log:\n` +
            this.logs.map((line) => JSON.stringify(line)).join('\n') +
            `\nstderr:\n${this.stderr.join('')}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 200);
        const listeners = this.listeners;
        function done() {
          clearTimeout(timer);
          listeners.delete(done);
          resolve();
        }
        this.listeners.add(done);
      });
    }
  }

  /** Counts log lines with this message. */
  count(msg: string): number {
    return this.logs.filter((line) => line.msg === msg).length;
  }

  /** Sends a signal and resolves with how the process ended, and how long it took. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; ms: number }> {
    const started = Date.now();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const { code } = await this.exited;
    return { code, ms: Date.now() - started };
  }

  /** Resolves when the process exits on its own. */
  waitForExit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  /** The process id (for a test that changes its scheduling priority, say). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** A fresh temp folder for one test's database. */
export function makeTempDir(prefix = 'nashra-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
