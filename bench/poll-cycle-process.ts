/**
 * Child process of the poll-cycle benchmark (bench/poll-bench.ts): the real polling pipeline with the
 * app's defaults — a SQLite store in a temp file, the guarded fetcher, the worker pool and the source
 * poller — and nothing else, so its RSS and event-loop delay are the poller's own.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { createConfig } from '../src/config.js';
import { createCpuPool, type CpuWork } from '../src/pipeline/cpu-pool.js';
import { createSourcePoller, type SourcePoller } from '../src/pipeline/poll-all-sources.js';
import type { PipelineDeps } from '../src/pipeline/ports.js';
import { createFetcher, readSource, type Fetcher } from '../src/sources/index.js';
import { createSqliteStore } from '../src/store/sqlite/index.js';
import type { Store } from '../src/store/store.js';
import { peakRssMb, serveBenchRequests } from './bench-child.js';

interface Pipeline {
  store: Store;
  fetcher: Fetcher;
  cpu: CpuWork;
  poller: SourcePoller;
  /** When the last successful poll was recorded (ms since epoch), and the warn lines logged. */
  state: { lastOkAt: number; warnings: number };
}

let pipeline: Pipeline | null = null;

/**
 * Runs `work` and measures it: wall time, CPU time of the whole process (worker threads included),
 * event-loop delay (p99, max) and the RSS sampled every 20 ms.
 */
async function withLoopDelay<T>(
  work: () => Promise<T>,
): Promise<{ result: T; p99Ms: number; maxMs: number; wallMs: number; cpuMs: number; rssPeakMb: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let rssPeak = process.memoryUsage.rss();
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 20);
  histogram.enable();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await work();
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6, rssPeakMb: Math.max(rssPeak, process.memoryUsage.rss()) / 1e6 };
  } finally {
    histogram.disable();
    clearInterval(sampler);
  }
}

serveBenchRequests(async (body) => {
  switch (body.kind) {
    case 'setup': {
      // The app's own defaults (concurrency, per host, posts per poll, worker threads), from createConfig.
      // `settings` may override some (POLL_CONCURRENCY=64, say) to measure another setting the same way.
      const defaults = createConfig({ BOT_TOKEN: '1:bench', ...(body.settings as Record<string, string> | undefined) });
      const store = createSqliteStore(body.dbPath as string);
      const fetcher = createFetcher({
        userAgent: 'nashra-bench',
        allowHosts: body.allowHosts as string[],
        timeoutMs: body.fetchTimeoutMs as number,
      });
      const cpu = createCpuPool({ threads: defaults.workerThreads });
      const state = { lastOkAt: 0, warnings: 0 };
      // Timestamps each successful poll as the pipeline records it: when the healthy sources were done.
      const timedStore = new Proxy(store, {
        get(target, property, receiver) {
          if (property !== 'recordPollOutcome') return Reflect.get(target, property, receiver);
          return async (...args: Parameters<Store['recordPollOutcome']>) => {
            await target.recordPollOutcome(...args);
            if (args[1].ok) state.lastOkAt = Date.now();
          };
        },
      });
      const deps: PipelineDeps = {
        store: timedStore,
        readSource: (url, options) => readSource(fetcher, url, { ...options, parse: cpu.parseDocument }),
        logger: pino({ level: 'warn' }, { write: () => void (state.warnings += 1) }),
        cpu,
        postsPerPoll: defaults.postsPerPoll,
      };
      const poller = createSourcePoller(deps, { concurrency: defaults.pollConcurrency, perHost: defaults.pollHostConcurrency });
      for (const url of body.urls as string[]) await store.addSource({ url, feedUrl: url, title: null });
      // One subscribed channel, so new items are queued for posting as in production.
      await store.upsertChat({ id: -1_001_000_000_001, kind: 'channel', title: 'bench', username: null });
      await store.subscribe(-1_001_000_000_001, 'all', null);
      pipeline = { store, fetcher, cpu, poller, state };
      // The idle baseline: the same monitor over a quiet second, with the pool's threads started.
      const idle = await withLoopDelay(() => sleep(1000));
      return {
        idleP99Ms: idle.p99Ms,
        idleMaxMs: idle.maxMs,
        idleRssMb: process.memoryUsage.rss() / 1e6,
        concurrency: defaults.pollConcurrency,
        perHost: defaults.pollHostConcurrency,
        workerThreads: defaults.workerThreads,
      };
    }
    case 'cycle': {
      if (!pipeline) throw new Error('cycle before setup');
      const p = pipeline;
      p.state.lastOkAt = 0;
      p.state.warnings = 0;
      const startedAt = Date.now();
      const measured = await withLoopDelay(() => p.poller.pollAll());
      const outbox = await p.store.countDeliveries();
      return {
        wallMs: measured.wallMs,
        cpuMs: measured.cpuMs,
        healthyDoneMs: p.state.lastOkAt === 0 ? Number.NaN : p.state.lastOkAt - startedAt,
        loopP99Ms: measured.p99Ms,
        loopMaxMs: measured.maxMs,
        rssPeakMb: measured.rssPeakMb,
        summary: measured.result,
        warnings: p.state.warnings,
        pendingPosts: outbox.pending,
      };
    }
    case 'pause': {
      // Takes sources out of the cycles, as a bot admin's pause would.
      if (!pipeline) throw new Error('pause before setup');
      const urls = new Set(body.urls as string[]);
      let paused = 0;
      for (const source of await pipeline.store.listSources()) {
        if (urls.has(source.url) && (await pipeline.store.setSourceState(source.id, 'paused', 'bench'))) paused += 1;
      }
      return { paused };
    }
    case 'close': {
      const maxRssMb = peakRssMb();
      if (pipeline) {
        await pipeline.fetcher.close();
        await pipeline.cpu.close();
        await pipeline.store.close();
        pipeline = null;
      }
      setImmediate(() => process.exit(0));
      return { maxRssMb };
    }
    default:
      throw new Error(`unknown request ${String(body.kind)}`);
  }
});
