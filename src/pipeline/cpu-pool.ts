import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { DocumentInput, DocumentParser, ParsedDocument } from '../sources/types.js';
import type { IndexEntry, NewItem } from '../store/store.js';
import * as tasks from './cpu-tasks.js';
import type { MakeIndexTokensInput, MakeItemsInput } from './cpu-tasks.js';

/**
 * Where a poll's CPU work runs. Parsing a feed, turning HTML into text and normalising it for search
 * are pure and can take tens of milliseconds for a large feed: on the main thread they would delay
 * sends and command answers, so the app runs them on worker threads.
 */
export interface CpuWork {
  parseDocument: DocumentParser;
  makeItems(input: MakeItemsInput): Promise<NewItem[]>;
  /** Index tokens of stored items, for a rebuild of the search index. */
  makeIndexTokens(input: MakeIndexTokensInput): Promise<IndexEntry[]>;
  /** The lines a source repeats across its items' texts. */
  learnSignatures(bodies: string[]): Promise<string[]>;
  /** Waits for running tasks and ends the threads. */
  close(): Promise<void>;
}

/** Runs the tasks on the calling thread: for tests, tools and tiny workloads. */
export function createInProcessCpu(): CpuWork {
  return {
    parseDocument: async (input) => tasks.parseDocument(input),
    makeItems: async (input) => tasks.makeItems(input),
    makeIndexTokens: async (input) => tasks.makeIndexTokens(input),
    learnSignatures: async (bodies) => tasks.learnSignatures(bodies),
    close: async () => undefined,
  };
}

/**
 * The worker file: under `npm start` and in tests the sources are TypeScript, run through tsx, which
 * a worker thread must register itself (cpu-tasks-from-source.mjs); the built image runs the compiled .js.
 */
function workerEntry(): string {
  const self = fileURLToPath(import.meta.url);
  return self.endsWith('.ts')
    ? self.replace(/cpu-pool\.ts$/, 'cpu-tasks-from-source.mjs')
    : self.replace(/cpu-pool\.js$/, 'cpu-tasks.js');
}

/** A body Buffer can be a view into a shared pool; only a buffer that owns its memory is moved. */
function transferable(body: Uint8Array): ArrayBuffer[] {
  const { buffer } = body;
  return buffer instanceof ArrayBuffer && body.byteOffset === 0 && body.byteLength === buffer.byteLength ? [buffer] : [];
}

/**
 * A small pool of worker threads (piscina) for the poll's CPU work. One thread per spare core, at
 * least one: the main thread keeps sending posts and answering commands meanwhile.
 */
export function createCpuPool(options: { threads?: number } = {}): CpuWork {
  const threads = options.threads ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
  const pool = new Piscina({
    filename: workerEntry(),
    minThreads: 1,
    maxThreads: threads,
    // Threads beyond the first end after a quiet minute; a poll burst starts them again.
    idleTimeout: 60_000,
  });
  return {
    async parseDocument(input: DocumentInput): Promise<ParsedDocument> {
      return (await pool.run(input, { name: 'parseDocument', transferList: transferable(input.body) })) as ParsedDocument;
    },
    async makeItems(input: MakeItemsInput): Promise<NewItem[]> {
      return (await pool.run(input, { name: 'makeItems' })) as NewItem[];
    },
    async makeIndexTokens(input: MakeIndexTokensInput): Promise<IndexEntry[]> {
      return (await pool.run(input, { name: 'makeIndexTokens' })) as IndexEntry[];
    },
    async learnSignatures(bodies: string[]): Promise<string[]> {
      return (await pool.run(bodies, { name: 'learnSignatures' })) as string[];
    },
    async close() {
      await pool.close({ force: true });
    },
  };
}
