import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { addSource } from '../src/pipeline/add-source.js';
import { createCpuPool, createInProcessCpu } from '../src/pipeline/cpu-pool.js';
import type { PipelineDeps } from '../src/pipeline/ports.js';
import { searchArticles } from '../src/search/search-articles.js';
import { createFetcher, readSource } from '../src/sources/index.js';
import { createSqliteStore } from '../src/store/sqlite/index.js';
import type { NewItem } from '../src/store/store.js';
import { FakeTelegram, type FakeChat, type FakeUser } from '../tests/helpers/fake-telegram.js';
import { FeedFarm, type FarmFeed, type FarmItem } from '../tests/helpers/feed-farm.js';
import { forkBenchChild } from './bench-child.js';
import { makeTempDir, median, percentile, type Figure } from './measure.js';
import { makeArticle, makeArticles, Random, seedVocabulary, type SyntheticArticle, type Vocabulary } from './synthetic-news.js';
import { recordAndQueuePosts } from '../src/pipeline/record-items.js';

/**
 * The polling benchmarks of issue 11: one poll cycle over 1,000 stand-in feeds on 50 loopback hosts,
 * the start with those 1,000 sources in SOURCES, delivery while large feeds are polled every 2 s,
 * and ingest through the addSource use case. The measured code (the poller, or the whole app) runs in
 * a child process so the stand-in servers in this process neither add to its memory nor delay its
 * event loop. Everything talks to 127.x only.
 */

const token = '42:bench-poll';
/** The fetch timeout createApp's fetcher has (createFetcher's default). */
const appFetchTimeoutMs = 20_000;
/** A cron that never fires during a benchmark: the app then polls nothing by itself. */
const neverCron = '0 0 1 1 *';
const prober: FakeUser = { id: 5001, first_name: 'Probe', language_code: 'en' };
const proberChat: FakeChat = { id: 5001, type: 'private', first_name: 'Probe' };
/** Searches on their own, at most one a second (the per-user search rate limit allows no more). */
const searcher: FakeUser = { id: 5002, first_name: 'Searcher', language_code: 'ar' };
const searcherChat: FakeChat = { id: 5002, type: 'private', first_name: 'Searcher' };
/** A common word of the polled feeds' headlines, so each search ranks many matches. */
const probeQuery = '/search خبر';
const searchGapMs = 1100;
/** A bot admin nobody probes as, so admin notices never pass for the answer to /start. */
const botAdmin = '9001';

// ---------------------------------------------------------------------------------------------
// The feed farm: 50 loopback hosts, 20 feeds each, 5 % of them bad.

type BadKind = 'hang' | 'slow' | 'status 500' | 'garbage';

export interface Farm {
  farm: FeedFarm;
  /** Host labels (127.0.1.1 …) and what FETCH_ALLOW_HOSTS must list for them. */
  hosts: string[];
  allowHosts: string[];
  /** Said in the output when the 127.0.1.x addresses could not be bound. */
  note: string;
}

interface FarmPlan {
  /** Every feed URL, in a seeded shuffled order (the order sources are added and polled). */
  urls: string[];
  healthy: FarmFeed[];
  bad: Map<BadKind, FarmFeed[]>;
}

/** Starts the farm on 127.0.1.1 … 127.0.1.N; where those cannot be bound, on 127.0.0.1 with a port per host. */
export async function startFarm(hostCount: number): Promise<Farm> {
  const hosts = Array.from({ length: hostCount }, (_, h) => `127.0.1.${h + 1}`);
  try {
    const farm = await new FeedFarm().start(hosts);
    return { farm, hosts, allowHosts: hosts, note: '' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw err;
    const farm = await new FeedFarm().start(hosts, { listenAddress: '127.0.0.1' });
    return { farm, hosts, allowHosts: ['127.0.0.1'], note: '127.0.1.x cannot be bound here: hosts are 127.0.0.1 with a port each' };
  }
}

function farmItem(article: SyntheticArticle): FarmItem {
  return { guid: article.guid, title: article.title, body: article.paragraphs.join('\n'), pubDate: article.publishedAt };
}

const badKinds: BadKind[] = ['hang', 'slow', 'status 500', 'garbage'];

/**
 * `feedsPerHost` feeds of `itemsPerFeed` synthetic articles on every host; one feed per host is bad
 * (5 % with 20 a host), the kinds taking turns: hangs, answers after the fetch timeout, 500, garbage.
 */
function planFarm(farm: Farm, options: { feedsPerHost: number; itemsPerFeed: number; slowMs: number; seed: number }): FarmPlan {
  const random = new Random(options.seed);
  const vocabulary = seedVocabulary();
  const end = new Date();
  const healthy: FarmFeed[] = [];
  const bad = new Map<BadKind, FarmFeed[]>(badKinds.map((kind) => [kind, []]));
  const urls: string[] = [];
  farm.hosts.forEach((host, h) => {
    const badIndex = (h * 7) % options.feedsPerHost;
    for (let f = 0; f < options.feedsPerHost; f++) {
      const feed = farm.farm.addFeed(`/feed-${f}.xml`, { host, count: 0 });
      feed.items = makeArticles(random, vocabulary, options.itemsPerFeed, `h${h}-f${f}`, end, 7).map(farmItem);
      urls.push(feed.url);
      if (f !== badIndex) {
        healthy.push(feed);
        continue;
      }
      const kind = badKinds[h % badKinds.length]!;
      bad.get(kind)!.push(feed);
      if (kind === 'hang') feed.hang = true;
      if (kind === 'slow') feed.delayMs = options.slowMs;
      if (kind === 'status 500') feed.status = 500;
      if (kind === 'garbage') feed.raw = '\u0000\u0001 PK\u0003\u0004 this is not a feed <<< >>> '.repeat(200);
    }
  });
  // Sources come in any order, not host by host.
  for (let i = urls.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [urls[i], urls[j]] = [urls[j]!, urls[i]!];
  }
  return { urls, healthy, bad };
}

function describeBad(plan: FarmPlan): string {
  return badKinds.map((kind) => `${plan.bad.get(kind)!.length} ${kind}`).join(', ');
}

const seconds = (ms: number) => ms / 1000;

// ---------------------------------------------------------------------------------------------
// 1. One poll cycle over 1,000 feeds, through the real pipeline.

interface CycleResult {
  wallMs: number;
  /** CPU time of the poller process over the cycle, worker threads included. */
  cpuMs: number;
  healthyDoneMs: number;
  loopP99Ms: number;
  loopMaxMs: number;
  rssPeakMb: number;
  summary: { sources: number; failed: number; newItems: number; queuedDeliveries: number; busy: number };
  requests: number;
  maxPerHost: number;
}

/**
 * Poll cycles (`pollAll`) over 1,000 stand-in feeds on 50 hosts, with the app's defaults, in one
 * child process: the first read of every feed (a full parse, once), then `repetitions` rounds of a
 * cycle where 10 % of the feeds have a new item followed by one where nothing changed (each body is
 * hashed and skipped); last, as a baseline, unchanged cycles with the bad feeds paused.
 */
export async function benchPollCycle(options: {
  hosts: number;
  feedsPerHost: number;
  itemsPerFeed: number;
  newShare: number;
  fetchTimeoutMs: number;
  repetitions: number;
  /** Environment variables createConfig reads for the poller's settings (e.g. POLL_CONCURRENCY); the app's defaults otherwise. */
  settings?: Record<string, string>;
}): Promise<Figure[]> {
  const farm = await startFarm(options.hosts);
  const plan = planFarm(farm, { ...options, slowMs: options.fetchTimeoutMs + 1000, seed: 20_250_101 });
  const vocabulary = seedVocabulary();
  const random = new Random(77);
  const temp = makeTempDir('poll');
  const child = forkBenchChild('./poll-cycle-process.ts');
  let first: CycleResult;
  const fresh: CycleResult[] = [];
  const unchanged: CycleResult[] = [];
  const healthyOnly: CycleResult[] = [];
  let setup: { idleP99Ms: number; idleMaxMs: number; idleRssMb: number; concurrency: number; perHost: number; workerThreads: number };
  let peakRss: number;
  let published = 0;
  try {
    setup = await child.request({
      kind: 'setup',
      dbPath: path.join(temp.dir, 'poll.sqlite'),
      urls: plan.urls,
      allowHosts: farm.allowHosts,
      fetchTimeoutMs: options.fetchTimeoutMs,
      settings: options.settings,
    });
    const cycle = async (): Promise<CycleResult> => {
      farm.farm.maxActiveByHost.clear();
      const before = farm.farm.totalRequests;
      const result = await child.request<Omit<CycleResult, 'requests' | 'maxPerHost'>>({ kind: 'cycle' });
      return { ...result, requests: farm.farm.totalRequests - before, maxPerHost: Math.max(...farm.farm.maxActiveByHost.values()) };
    };
    first = await cycle();
    for (let rep = 0; rep < options.repetitions; rep++) {
      published = 0;
      plan.healthy.forEach((feed, index) => {
        if ((index + rep) % Math.round(1 / options.newShare) !== 0) return;
        farm.farm.publish(feed, farmItem(makeArticle(random, vocabulary, `rep${rep}-new-${index}`, new Date())));
        published += 1;
      });
      const withNew = await cycle();
      if (withNew.summary.newItems !== published) throw new Error(`expected ${published} new items, the cycle found ${withNew.summary.newItems}`);
      fresh.push(withNew);
      const same = await cycle();
      if (same.summary.newItems !== 0) throw new Error(`an unchanged cycle found ${same.summary.newItems} new items`);
      unchanged.push(same);
    }
    // The baseline: the same unchanged cycle with the bad feeds paused.
    const badUrls = [...plan.bad.values()].flat().map((feed) => feed.url);
    const { paused } = await child.request<{ paused: number }>({ kind: 'pause', urls: badUrls });
    if (paused !== badUrls.length) throw new Error(`paused ${paused} of ${badUrls.length} bad sources`);
    for (let rep = 0; rep < options.repetitions; rep++) healthyOnly.push(await cycle());
    peakRss = (await child.request<{ maxRssMb: number }>({ kind: 'close' })).maxRssMb;
  } finally {
    await child.exit();
    await farm.farm.close();
    temp.remove();
  }

  const reps = options.repetitions;
  const feeds = options.hosts * options.feedsPerHost;
  const cycles = { first: [first], new: fresh, unchanged, healthyOnly };
  // The full parse runs once; the other two cycles once per repetition.
  const pick = (name: keyof typeof cycles, value: (result: CycleResult) => number) => median(cycles[name].map(value));
  const defaults = setup;
  const idleP99 = setup.idleP99Ms;
  const budgetSeconds = 30;
  const where =
    `${feeds.toLocaleString('en-US')} feeds x ${options.itemsPerFeed} items on ${options.hosts} hosts (bad: ${describeBad(plan)}), ` +
    `fetch timeout ${seconds(options.fetchTimeoutMs)} s, concurrency ${defaults.concurrency}/${defaults.perHost} per host, ` +
    `${defaults.workerThreads} worker thread(s)${farm.note ? `; ${farm.note}` : ''}`;
  const newWall = pick('new', (r) => r.wallMs);
  const firstWall = pick('first', (r) => r.wallMs);
  const unchangedWall = pick('unchanged', (r) => r.wallMs);
  return [
    {
      name: 'poll.cycle, 10% new',
      value: seconds(newWall),
      unit: 's',
      repetitions: reps,
      detail: `pollAll wall time, ${published} feeds with a new item, CPU ${seconds(pick('new', (r) => r.cpuMs)).toFixed(1)} s; ${where}`,
      baseline: { ratio: seconds(newWall) / budgetSeconds, meaning: `of the ${budgetSeconds} s budget (10,000 sources per 5 min)` },
    },
    {
      name: 'poll.healthy done, 10% new',
      value: seconds(pick('new', (r) => r.healthyDoneMs)),
      unit: 's',
      repetitions: reps,
      detail: 'from the cycle start until the last successful poll was recorded (the rest of the cycle waits for bad feeds)',
    },
    {
      name: 'poll.cycle, first full parse',
      value: seconds(firstWall),
      unit: 's',
      repetitions: 1,
      detail:
        `every feed read for the first time: ${pick('first', (r) => r.summary.newItems).toLocaleString('en-US')} new items parsed, stored, ` +
        `queued (at most 20 posts a source); CPU ${seconds(pick('first', (r) => r.cpuMs)).toFixed(1)} s`,
    },
    {
      name: 'poll.cycle, all unchanged',
      value: seconds(unchangedWall),
      unit: 's',
      repetitions: reps,
      detail: `same bodies again, no ETag: hashed and skipped; CPU ${seconds(pick('unchanged', (r) => r.cpuMs)).toFixed(1)} s`,
      baseline: { ratio: unchangedWall / firstWall, meaning: 'of the first full parse' },
    },
    {
      name: 'poll.cycle, unchanged, bad paused',
      value: seconds(pick('healthyOnly', (r) => r.wallMs)),
      unit: 's',
      repetitions: reps,
      detail: `the ${plan.healthy.length} healthy feeds alone (the bad ones paused), unchanged; CPU ${seconds(pick('healthyOnly', (r) => r.cpuMs)).toFixed(1)} s`,
      baseline: { ratio: pick('healthyOnly', (r) => r.wallMs) / unchangedWall, meaning: 'of the unchanged cycle with the bad feeds in it' },
    },
    {
      name: 'poll.peak RSS',
      value: peakRss,
      unit: 'MB',
      repetitions: 1,
      aggregate: 'max',
      detail:
        `high-water mark of the poller process over setup and every cycle; after setup, idle: ${setup.idleRssMb.toFixed(0)} MB; ` +
        `sampled peaks: full parse ${first.rssPeakMb.toFixed(0)} MB, 10%-new ${pick('new', (r) => r.rssPeakMb).toFixed(0)} MB`,
      baseline: { ratio: peakRss / 300, meaning: 'of the 300 MB goal' },
    },
    {
      name: 'poll.loop delay p99, 10% new',
      value: pick('new', (r) => r.loopP99Ms),
      unit: 'ms',
      repetitions: reps,
      detail: `monitorEventLoopDelay (10 ms resolution) over the cycle; max ${pick('new', (r) => r.loopMaxMs).toFixed(1)} ms`,
      baseline: { ratio: pick('new', (r) => r.loopP99Ms) / idleP99, meaning: `of the idle p99, ${idleP99.toFixed(1)} ms` },
    },
    {
      name: 'poll.loop delay p99, full parse',
      value: pick('first', (r) => r.loopP99Ms),
      unit: 'ms',
      repetitions: 1,
      detail: `max ${pick('first', (r) => r.loopMaxMs).toFixed(1)} ms`,
      baseline: { ratio: pick('first', (r) => r.loopP99Ms) / idleP99, meaning: 'of the idle p99' },
    },
    {
      name: 'poll.loop delay p99, unchanged',
      value: pick('unchanged', (r) => r.loopP99Ms),
      unit: 'ms',
      repetitions: reps,
      detail: `max ${pick('unchanged', (r) => r.loopMaxMs).toFixed(1)} ms`,
      baseline: { ratio: pick('unchanged', (r) => r.loopP99Ms) / idleP99, meaning: 'of the idle p99' },
    },
    {
      name: 'poll.requests served',
      value: pick('new', (r) => r.requests),
      unit: 'requests',
      repetitions: reps,
      detail: `by the farm in the 10%-new cycle (one per feed: ${feeds}); failed polls ${pick('new', (r) => r.summary.failed)}`,
    },
    {
      name: 'poll.max concurrent on one host',
      value: Math.max(...[first, ...fresh, ...unchanged, ...healthyOnly].map((r) => r.maxPerHost)),
      unit: 'requests',
      repetitions: 1 + 3 * reps,
      aggregate: 'max',
      detail: `most requests one host served at once, over every cycle (limit ${defaults.perHost})`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The whole app in a child process, driven through the stand-in Bot API.

interface AppRun {
  telegram: FakeTelegram;
  /** Log lines of interest, with when this process received them. */
  logs: Array<{ at: number; line: Record<string, any> }>;
  startCalledAt: number;
  /** Resolves at the first log line with this message. */
  waitForLog(msg: string, timeoutMs: number): Promise<{ at: number; line: Record<string, any> }>;
}

function appEnv(telegram: FakeTelegram, dbPath: string, extra: Record<string, string>): Record<string, string> {
  return {
    BOT_TOKEN: token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    DATABASE_URL: `sqlite:${dbPath}`,
    BOT_ADMINS: botAdmin,
    HTTP_PORT: '0',
    POLL_CRON: neverCron,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/**
 * Starts the app in a child process with `env` (built by createConfig there), runs `during`, stops
 * the app. `beforeStart` runs once the stand-in Bot API is up, before start() is called.
 */
async function withApp<T>(
  options: { dbPath: string; env: Record<string, string>; beforeStart?: (telegram: FakeTelegram) => void },
  during: (run: AppRun) => Promise<T>,
): Promise<{ result: T; maxRssMb: number }> {
  const telegram = await new FakeTelegram(token).start();
  const child = forkBenchChild('./app-process.ts');
  const logs: AppRun['logs'] = [];
  const logListeners = new Set<() => void>();
  child.onEvent((event) => {
    if (event.kind !== 'log') return;
    logs.push({ at: Date.now(), line: event.line as Record<string, any> });
    for (const listener of [...logListeners]) listener();
  });
  try {
    options.beforeStart?.(telegram);
    const { startCalledAt } = await child.request<{ startCalledAt: number }>({ kind: 'start', env: appEnv(telegram, options.dbPath, options.env) });
    const run: AppRun = {
      telegram,
      logs,
      startCalledAt,
      async waitForLog(msg, timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const found = logs.find((entry) => entry.line.msg === msg);
          if (found) return found;
          if (Date.now() > deadline) throw new Error(`no "${msg}" log line within ${timeoutMs} ms`);
          await new Promise<void>((resolve) => {
            const done = () => (logListeners.delete(done), clearTimeout(timer), resolve());
            const timer = setTimeout(done, 200);
            logListeners.add(done);
          });
        }
      },
    };
    const result = await during(run);
    const { maxRssMb } = await child.request<{ maxRssMb: number }>({ kind: 'stop' }, 30_000);
    return { result, maxRssMb };
  } finally {
    await child.exit();
    await telegram.close();
  }
}

/** Sends /start and resolves with how long the answer took (ms). */
async function timeStart(telegram: FakeTelegram, timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  await telegram.ask(prober, proberChat, '/start', {}, timeoutMs);
  return performance.now() - started;
}

/** Answer latencies of /start sent one after another, `gapMs` apart, while `keepGoing` says so. */
async function probeStart(telegram: FakeTelegram, keepGoing: () => boolean, gapMs: number): Promise<number[]> {
  const latencies: number[] = [];
  while (keepGoing()) {
    latencies.push(await timeStart(telegram));
    await sleep(gapMs);
  }
  return latencies;
}

/** Answer latencies of a search for a common word, one a second, while `keepGoing` says so. */
async function probeSearch(telegram: FakeTelegram, keepGoing: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (keepGoing()) {
    const started = performance.now();
    await telegram.ask(searcher, searcherChat, probeQuery, {}, 30_000);
    latencies.push(performance.now() - started);
    await sleep(searchGapMs);
  }
  return latencies;
}

/** Milliseconds from start() until the stand-in received the answer to a /start queued before it. */
async function firstAnswerMs(run: AppRun, timeoutMs = 60_000): Promise<number> {
  const reply = await run.telegram.waitForCall(
    (call) => call.method === 'sendMessage' && Number(call.params.chat_id) === proberChat.id,
    timeoutMs,
  );
  return reply.at - run.startCalledAt;
}

// ---------------------------------------------------------------------------------------------
// 2. Start with 1,000 sources in SOURCES.

/**
 * The app started with the 1,000 farm URLs in SOURCES (the app's own fetch timeout): how long until
 * it answers /start (queued before start), against a start with no SOURCES measured in the same
 * run; and, in the first repetition, how long until every readable source is added and until the
 * app logs that SOURCES were all read (that waits for the bad feeds' timeouts).
 */
export async function benchStartWithSources(options: { hosts: number; feedsPerHost: number; itemsPerFeed: number; repetitions: number }): Promise<Figure[]> {
  const farm = await startFarm(options.hosts);
  const plan = planFarm(farm, { ...options, slowMs: appFetchTimeoutMs + 1000, seed: 20_250_102 });
  const queueStart = (telegram: FakeTelegram) => void telegram.sendText(prober, proberChat, '/start');
  const empty: number[] = [];
  const loaded: number[] = [];
  let healthyAddedMs = Number.NaN;
  let allReadMs = Number.NaN;
  let added = 0;
  let failed = 0;
  let rss = 0;
  try {
    for (let rep = 0; rep < options.repetitions; rep++) {
      {
        const temp = makeTempDir('start-empty');
        try {
          const run = await withApp({ dbPath: path.join(temp.dir, 's.sqlite'), env: {}, beforeStart: queueStart }, (app) => firstAnswerMs(app));
          empty.push(run.result);
        } finally {
          temp.remove();
        }
      }
      const temp = makeTempDir('start-sources');
      try {
        const env = { SOURCES: plan.urls.join(','), FETCH_ALLOW_HOSTS: farm.allowHosts.join(',') };
        const run = await withApp({ dbPath: path.join(temp.dir, 's.sqlite'), env, beforeStart: queueStart }, async (app) => {
          const answered = await firstAnswerMs(app);
          if (rep > 0) return answered;
          // The first repetition also waits for every source: the readable ones, then the bad ones' timeouts.
          const done = await app.waitForLog('sources from SOURCES read', appFetchTimeoutMs * 4 + 60_000);
          const addedLines = app.logs.filter((entry) => entry.line.msg === 'source added');
          added = Number(done.line.added);
          failed = Number(done.line.failed);
          if (addedLines.length >= plan.healthy.length) healthyAddedMs = addedLines[plan.healthy.length - 1]!.at - app.startCalledAt;
          allReadMs = done.at - app.startCalledAt;
          return answered;
        });
        loaded.push(run.result);
        if (rep === 0) rss = run.maxRssMb;
      } finally {
        temp.remove();
      }
    }
  } finally {
    await farm.farm.close();
  }
  const reps = options.repetitions;
  const sources = plan.urls.length;
  const where = `${sources.toLocaleString('en-US')} sources on ${options.hosts} hosts (bad: ${describeBad(plan)}), app fetch timeout ${seconds(appFetchTimeoutMs)} s${farm.note ? `; ${farm.note}` : ''}`;
  return [
    {
      name: 'start.first answer, SOURCES',
      value: median(loaded),
      unit: 'ms',
      repetitions: reps,
      detail: `start() -> the stand-in received the answer to a /start queued before it; ${where}`,
      baseline: { ratio: median(loaded) / median(empty), meaning: `of the same with no SOURCES, ${median(empty).toFixed(0)} ms` },
    },
    {
      name: 'start.readable sources added',
      value: seconds(healthyAddedMs),
      unit: 's',
      repetitions: 1,
      detail: `start() -> the ${plan.healthy.length}th 'source added' log line (every readable source)`,
    },
    {
      name: 'start.all SOURCES read',
      value: seconds(allReadMs),
      unit: 's',
      repetitions: 1,
      detail: `start() -> 'sources from SOURCES read' (added ${added}, failed ${failed}; waits for the bad feeds' timeouts); peak RSS ${rss.toFixed(0)} MB`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// 3. Delivery while large feeds are polled every 2 s.

type PollingVariant = 'no polling' | 'unchanged' | 'changing';

interface DeliveryUnderLoad {
  sendsPerSecond: number;
  /** Every message the bot sent in the same window (posts and replies to the probes), per second. */
  messagesPerSecond: number;
  startLatencies: number[];
  searchLatencies: number[];
  polls: number;
  windowMs: number;
  appLoopP99Ms: number;
  maxRssMb: number;
}

interface DeliveryStage {
  farm: Farm;
  polledFeeds: FarmFeed[];
  /** A store file as the app finds it at start; each variant runs on a copy. */
  dbPath: string;
}

/**
 * The store as the app finds it: `polled` sources of `itemsPerFeed` items already read once (their
 * items known, none posted), and `channels` channels subscribed to one more source whose `items`
 * new items are queued, so the delivery worker starts sending at once.
 */
async function stageDelivery(dir: string, options: { channels: number; items: number; polled: number; itemsPerFeed: number }): Promise<DeliveryStage> {
  const farm = await startFarm(options.polled + 1);
  const dbPath = path.join(dir, 'staged.sqlite');
  const polledFeeds = farm.hosts.slice(0, options.polled).map((host) => farm.farm.addFeed('/big.xml', { host, count: options.itemsPerFeed }));
  const newsFeed = farm.farm.addFeed('/news.xml', { host: farm.hosts[options.polled]!, count: 2 });
  const store = createSqliteStore(dbPath);
  const fetcher = createFetcher({ userAgent: 'nashra-bench', allowHosts: farm.allowHosts });
  const deps: PipelineDeps = {
    store,
    readSource: (url, readOptions) => readSource(fetcher, url, readOptions),
    logger: pino({ level: 'silent' }),
    cpu: createInProcessCpu(),
  };
  try {
    for (const feed of polledFeeds) await addSource(deps, feed.url);
    const news = await addSource(deps, newsFeed.url);
    for (let c = 0; c < options.channels; c++) {
      const id = channelId(c);
      await store.upsertChat({ id, kind: 'channel', title: `قناة ${c}`, username: null });
      await store.subscribe(id, [news.source.id], null);
    }
    const items: NewItem[] = Array.from({ length: options.items }, (_, k) => ({
      key: `queued-${k}`,
      headline: `خبر عاجل رقم ${k}`,
      link: `https://news.invalid/queued-${k}`,
      publishedAt: null,
      searchTitle: `خبر عاجل رقم ${k}`,
      searchBody: '',
    }));
    const { queuedDeliveries } = await recordAndQueuePosts(store, news.source.id, items);
    if (queuedDeliveries !== options.channels * options.items) throw new Error(`expected ${options.channels * options.items} queued posts, got ${queuedDeliveries}`);
  } catch (err) {
    await farm.farm.close();
    throw err;
  } finally {
    await fetcher.close();
    await store.close();
  }
  return { farm, polledFeeds, dbPath };
}

const channelId = (c: number) => -1_001_000_000_000 - c;

/**
 * The app on a copy of the staged store: it sends the queued posts while (unless `no polling`) the
 * polled sources are polled every 2 s (POLL_CRON with seconds); with `changing`, one item of each
 * polled feed changes at every request, so every poll parses the whole body. /start is probed
 * throughout.
 */
async function deliverWhilePolling(
  stage: DeliveryStage,
  dir: string,
  variant: PollingVariant,
  options: { channels: number; items: number; timeoutMs: number },
): Promise<DeliveryUnderLoad> {
  const dbPath = path.join(dir, `${variant.replace(' ', '-')}.sqlite`);
  fs.copyFileSync(stage.dbPath, dbPath);
  if (variant === 'changing') {
    let changes = 0;
    for (const feed of stage.polledFeeds) {
      feed.onRequest = () => {
        feed.items.shift();
        changes += 1;
        stage.farm.farm.publish(feed, { guid: `changed-${changes}`, title: `خبر متجدد ${changes}`, body: `نص متجدد ${changes}` });
      };
    }
  }
  const expected = options.channels * options.items;
  const channelSends = (telegram: FakeTelegram) => telegram.calls.filter((call) => call.method === 'sendMessage' && Number(call.params.chat_id) < 0);
  const polledRequests = () => stage.polledFeeds.reduce((sum, feed) => sum + feed.requests, 0);
  const env = { FETCH_ALLOW_HOSTS: stage.farm.allowHosts.join(','), POLL_CRON: variant === 'no polling' ? neverCron : '*/2 * * * * *' };
  const run = await withApp(
    {
      dbPath,
      env,
      beforeStart: (telegram) => {
        for (let c = 0; c < options.channels; c++) telegram.addChat({ id: channelId(c), type: 'channel', title: `قناة ${c}` });
      },
    },
    async (app) => {
      const requestsBefore = polledRequests();
      const deadline = Date.now() + options.timeoutMs;
      const delivering = () => channelSends(app.telegram).length < expected && Date.now() < deadline;
      const [latencies, searchLatencies] = await Promise.all([
        probeStart(app.telegram, delivering, 150),
        probeSearch(app.telegram, delivering),
      ]);
      const sends = channelSends(app.telegram).map((call) => call.at).sort((a, b) => a - b);
      if (sends.length < expected) throw new Error(`only ${sends.length} of ${expected} posts sent within ${options.timeoutMs} ms`);
      // Every message the bot sent meanwhile, the replies to the probes too: Telegram counts them all.
      const messages = app.telegram.calls.filter((call) => call.method === 'sendMessage' && call.at >= sends[0]! && call.at <= sends.at(-1)!).length;
      const cycles = app.logs.filter((entry) => entry.line.msg === 'poll cycle done');
      return {
        sendsPerSecond: (sends.length - 1) / seconds(sends.at(-1)! - sends[0]!),
        messagesPerSecond: (messages - 1) / seconds(sends.at(-1)! - sends[0]!),
        startLatencies: latencies,
        searchLatencies,
        polls: polledRequests() - requestsBefore,
        windowMs: sends.at(-1)! - app.startCalledAt,
        appLoopP99Ms: cycles.length > 0 ? Math.max(...cycles.map((entry) => Number(entry.line.loopDelayP99Ms))) : Number.NaN,
      };
    },
  );
  return { ...run.result, maxRssMb: run.maxRssMb };
}

/**
 * Delivery to `channels` channels WHILE `polled` sources of `itemsPerFeed` items are polled every 2 s,
 * with the feeds unchanged between polls and with one item changing at every poll: sends per second
 * at the stand-in Bot API against Telegram's 30/s (and against the same delivery with no polling),
 * and /start latency against an idle app, both baselines measured in the same run.
 */
export async function benchDeliveryWhilePolling(options: {
  channels: number;
  items: number;
  polled: number;
  itemsPerFeed: number;
  idleProbes: number;
  timeoutMs: number;
}): Promise<Figure[]> {
  const temp = makeTempDir('deliver-polling');
  let idle: number[];
  let idleSearch: number[];
  const results = new Map<PollingVariant, DeliveryUnderLoad>();
  let feedKb = 0;
  try {
    const run = await withApp({ dbPath: path.join(temp.dir, 'idle.sqlite'), env: {} }, async (app) => {
      await timeStart(app.telegram); // the first answer also loads the locale and warms the handlers
      let left = options.idleProbes;
      return probeStart(app.telegram, () => left-- > 0, 150);
    });
    idle = run.result;
    const stage = await stageDelivery(temp.dir, options);
    try {
      // The idle search baseline: the same archive, nothing polled, nothing sent.
      const idleDb = path.join(temp.dir, 'idle-search.sqlite');
      fs.copyFileSync(stage.dbPath, idleDb);
      const searchRun = await withApp({ dbPath: idleDb, env: { POLL_CRON: neverCron } }, async (app) => {
        // The copy holds the staged posts: let them go out first, so the searches run on an idle app.
        const queued = options.channels * options.items;
        await app.telegram.waitForCall(() => app.telegram.calls.filter((call) => call.method === 'sendMessage' && Number(call.params.chat_id) < 0).length >= queued, options.timeoutMs);
        let left = Math.max(5, Math.round(options.idleProbes / 3));
        return probeSearch(app.telegram, () => left-- > 0);
      });
      idleSearch = searchRun.result;
      feedKb = Buffer.byteLength(stage.polledFeeds[0]!.rendered ?? '', 'utf8') / 1000;
      // 'changing' last: it edits the farm's feeds.
      for (const variant of ['no polling', 'unchanged', 'changing'] as const) {
        results.set(variant, await deliverWhilePolling(stage, temp.dir, variant, options));
      }
    } finally {
      await stage.farm.farm.close();
    }
  } finally {
    temp.remove();
  }

  const idleMedian = median(idle);
  const idleSearchMedian = median(idleSearch);
  const posts = options.channels * options.items;
  const quiet = results.get('no polling')!;
  const figures: Figure[] = [
    {
      name: 'busy.start answer, idle app',
      value: idleMedian,
      unit: 'ms',
      repetitions: idle.length,
      detail: `/start round trip through the stand-in Bot API, nothing else running; p95 ${percentile(idle, 95).toFixed(1)} ms`,
    },
    {
      name: 'busy.search answer, idle app',
      value: idleSearchMedian,
      unit: 'ms',
      repetitions: idleSearch.length,
      detail: `"${probeQuery}" (a word of most headlines) over the same archive, nothing polled or sent; p95 ${percentile(idleSearch, 95).toFixed(1)} ms`,
    },
  ];
  for (const [variant, result] of results) {
    const polling =
      variant === 'no polling'
        ? 'no polling'
        : `while ${options.polled} feeds x ${options.itemsPerFeed.toLocaleString('en-US')} items (${Math.round(feedKb)} KB each; ` +
          `${variant === 'changing' ? 'one item changes per poll' : 'unchanged'}, no ETag) are polled every 2 s: ${result.polls} polls served ` +
          `(${((options.polled * result.windowMs) / 2000).toFixed(0)} if every tick polled all), app-logged loop p99 at most ${result.appLoopP99Ms} ms`;
    const startMedian = median(result.startLatencies);
    figures.push(
      {
        name: `busy.messages, ${variant}`,
        value: result.messagesPerSecond,
        unit: 'msg/s',
        repetitions: 1,
        detail:
          `every message sent between the first post and the last, posts and replies to the probes (Telegram counts both); ` +
          `${posts} posts to ${options.channels} channels ${polling}; posts alone ${result.sendsPerSecond.toFixed(1)}/s; peak RSS ${result.maxRssMb.toFixed(0)} MB` +
          (variant === 'no polling' ? '' : `; ${(result.messagesPerSecond / quiet.messagesPerSecond).toFixed(2)} of the rate with no polling`),
        baseline: { ratio: result.messagesPerSecond / 30, meaning: 'of 30 msg/s (goal >= 0.95)' },
      },
      {
        name: `busy.start answer, ${variant}`,
        value: startMedian,
        unit: 'ms',
        repetitions: result.startLatencies.length,
        detail: `/start during that delivery; p95 ${percentile(result.startLatencies, 95).toFixed(1)} ms`,
        baseline: { ratio: startMedian / idleMedian, meaning: 'of the idle answer (goal <= 2)' },
      },
      {
        name: `busy.search answer, ${variant}`,
        value: median(result.searchLatencies),
        unit: 'ms',
        repetitions: result.searchLatencies.length,
        detail: `"${probeQuery}" once a second during that delivery; p95 ${percentile(result.searchLatencies, 95).toFixed(1)} ms`,
        baseline: { ratio: median(result.searchLatencies) / idleSearchMedian, meaning: 'of the idle search' },
      },
    );
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------
// 4. Ingest through the addSource use case, with the worker pool.

/**
 * A feed of `items` synthetic articles added through the addSource use case (read, parse and text
 * work on the worker pool, store with the search index): items per second until the newest item
 * is found by search. A fresh store each repetition; one warm-up run first.
 */
export async function benchAddSourceIngest(options: { items: number; repetitions: number }): Promise<Figure[]> {
  const farm = await new FeedFarm().start(['127.0.0.1']);
  const vocabulary: Vocabulary = seedVocabulary();
  const random = new Random(4242);
  const cpu = createCpuPool();
  const fetcher = createFetcher({ userAgent: 'nashra-bench', allowHosts: ['127.0.0.1'] });
  const temp = makeTempDir('addsource');
  const samples: number[] = [];
  let feedBytes = 0;
  try {
    const articles = makeArticles(random, vocabulary, options.items, 'ingest', new Date(), 30);
    for (let run = 0; run <= options.repetitions; run++) {
      const feed = farm.addFeed(`/ingest-${run}.xml`, { count: 0 });
      const marker = `zqmarker${run}`;
      feed.items = articles.map(farmItem);
      feed.items[feed.items.length - 1] = { ...feed.items.at(-1)!, title: `${feed.items.at(-1)!.title} ${marker}` };
      const store = createSqliteStore(path.join(temp.dir, `ingest-${run}.sqlite`));
      const deps: PipelineDeps = {
        store,
        readSource: (url, readOptions) => readSource(fetcher, url, { ...readOptions, parse: cpu.parseDocument }),
        logger: pino({ level: 'silent' }),
        cpu,
      };
      try {
        const started = performance.now();
        const result = await addSource(deps, feed.url);
        const found = await searchArticles(store, marker);
        const ms = performance.now() - started;
        if (!result.created || result.itemCount !== options.items) throw new Error(`expected ${options.items} items added, got ${result.created ? result.itemCount : 'none'}`);
        if (found.kind !== 'results' || found.items.length !== 1) throw new Error(`the newest item is not searchable after addSource`);
        if (run > 0) samples.push(ms); // run 0 warms the pool's thread and the JIT
      } finally {
        await store.close();
      }
      feedBytes = Buffer.byteLength(feed.rendered ?? '', 'utf8');
    }
  } finally {
    await fetcher.close();
    await cpu.close();
    await farm.close();
    temp.remove();
  }
  const perSecond = options.items / seconds(median(samples));
  return [
    {
      name: 'ingest.addSource until searchable',
      value: perSecond,
      unit: 'items/s',
      repetitions: options.repetitions,
      detail: `one feed of ${options.items.toLocaleString('en-US')} items (${(feedBytes / 1e6).toFixed(1)} MB of RSS) from a stand-in on 127.0.0.1: fetch, parse and text work on the worker pool, store and index, then search finds the newest`,
      baseline: { ratio: perSecond / 2000, meaning: 'of the 2,000 items/s goal' },
    },
  ];
}
