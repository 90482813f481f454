/**
 * Child process of the app benchmarks (bench/poll-bench.ts): the whole app as `src/main.ts` builds it
 * — createConfig from an environment, createApp, start, stop — with its log lines of interest sent to
 * the parent as events, so the parent can time them against what the stand-in Bot API saw.
 */
import { pino } from 'pino';
import { createApp, type App } from '../src/app.js';
import { createConfig } from '../src/config.js';
import { openStore } from '../src/store/open-store.js';
import { emitBenchEvent, peakRssMb, serveBenchRequests } from './bench-child.js';

/** Log messages the parent waits for or counts. */
const forwarded = new Set(['source added', 'sources from SOURCES read', 'poll cycle done', 'listening for updates (long polling)']);

let app: App | null = null;

/** The app's JSON log, read line by line: interesting lines go to the parent, warnings and errors are counted. */
const logStream = {
  write(line: string) {
    const entry = JSON.parse(line) as Record<string, unknown> & { msg?: string; level?: number };
    if (entry.msg && forwarded.has(entry.msg)) emitBenchEvent({ kind: 'log', at: Date.now(), line: entry });
    else if ((entry.level ?? 0) >= 40) emitBenchEvent({ kind: 'log', at: Date.now(), line: entry });
  },
};

serveBenchRequests(async (body) => {
  switch (body.kind) {
    case 'start': {
      const config = createConfig(body.env as Record<string, string>);
      app = createApp({ config, logger: pino({ level: config.logLevel, base: undefined }, logStream), store: await openStore(config.database) });
      const startCalledAt = Date.now();
      await app.start();
      return { startCalledAt, startedAt: Date.now() };
    }
    case 'usage': {
      // CPU time of the whole process so far, worker threads included (the replicas bench's CPU per poll).
      const { user, system } = process.cpuUsage();
      return { cpuMs: (user + system) / 1000 };
    }
    case 'stop': {
      await app?.stop();
      app = null;
      const maxRssMb = peakRssMb();
      setImmediate(() => process.exit(0));
      return { maxRssMb };
    }
    default:
      throw new Error(`unknown request ${String(body.kind)}`);
  }
});
