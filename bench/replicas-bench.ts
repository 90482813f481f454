import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDatabaseUrl } from '../src/config.js';
import { openStore } from '../src/store/open-store.js';
import { densestWindow, FakeTelegram, type FloodLimits, type RecordedCall } from '../tests/helpers/fake-telegram.js';
import type { FarmFeed } from '../tests/helpers/feed-farm.js';
import { createScratchDatabase, postgresAvailable, shownTestDatabaseUrl } from '../tests/helpers/postgres.js';
import { forkBenchChild, type BenchChild } from './bench-child.js';
import { makeTempDir, median, type Figure } from './measure.js';
import { startFarm, type Farm } from './poll-bench.js';

/**
 * Several nashra processes ("replicas") on one PostgreSQL database, against one SQLite process: polls
 * per second over many stand-in feeds, and deliveries per second to many channels through the
 * stand-in Bot API, first with Telegram's flood limits lifted at the stand-in (where the ceiling
 * is), then with them on (how close to 30 msg/s, and never above). Each replica is the whole app
 * (`app-process.ts`, as `src/main.ts` builds it) in a child process; every PostgreSQL run gets a
 * database of its own, dropped after. Everything talks to 127.x only.
 */

const token = '42:bench-replicas';
const channelId = (c: number) => -1_003_000_000_000 - c;
/** SEND_RATE of the runs with the limits lifted: far above what the replicas reach, so it is not the limit. */
const freeSendRate = 1000;

type Backend = 'sqlite' | 'postgres';

interface SetResult {
  backend: Backend;
  replicas: number;
  /** Farm requests per second over each window (one per repetition). */
  pollsPerSecond: number[];
  /** Over the poll windows: the machine's CPU busy (0..1 of every core), and this process's share of all cores (the stand-ins). */
  machineBusy: number;
  standInBusy: number;
  /** CPU time the replicas spent per poll over the windows, ms (all replicas together, worker threads included). */
  replicaCpuMsPerPoll: number;
  /** Sends per second of each repetition, the stand-in's limits lifted. */
  freeRates: number[];
  /** The same with the limits on (empty when not measured). */
  limitedRates: number[];
  /** 429 answers over the limited repetitions. */
  refusals: number;
  /** The most accepted sends in any one second, over the limited repetitions. */
  densest: number;
  /** warn/error lines the replicas logged. */
  complaints: number;
  /** From start() asked of every replica until all had started. */
  startMs: number;
  /** Slots given up as late, or sends started twice: what the stand-in saw sent more than once. */
  repeated: number;
}

interface SetOptions {
  backend: Backend;
  replicas: number;
  farm: Farm;
  /** Label of this set's feeds on the farm (each set polls feeds of its own). */
  label: string;
  channels: number;
  feedsPerHost: number;
  pollWindowMs: number;
  repetitions: number;
  /** Also measure deliveries with these limits on at the stand-in. */
  floodLimits?: FloodLimits;
  timeoutMs: number;
}

/**
 * One set of replicas on a fresh store: the poll windows first (every feed due at every tick), then
 * the feeds are told to come back in an hour (Cache-Control max-age) so they poll no more, then one
 * new story per repetition on the source every channel follows, limits lifted, then (when asked)
 * with the limits on.
 */
async function runSet(options: SetOptions): Promise<SetResult> {
  const { farm, backend, replicas } = options;
  const pollHosts = farm.hosts.slice(0, -1);
  const pollFeeds: FarmFeed[] = pollHosts.flatMap((host) =>
    Array.from({ length: options.feedsPerHost }, (_, f) => farm.farm.addFeed(`/${options.label}/feed-${f}.xml`, { host, count: 3 })),
  );
  const newsFeed = farm.farm.addFeed(`/${options.label}/news.xml`, { host: farm.hosts.at(-1)!, count: 0 });

  const temp = backend === 'sqlite' ? makeTempDir('replicas') : null;
  const database = backend === 'postgres' ? await createScratchDatabase('nashra_bench_replicas') : null;
  const databaseUrl = database ? database.url : `sqlite:${path.join(temp!.dir, 'replicas.sqlite')}`;
  const telegram = await new FakeTelegram(token).start();
  const children: BenchChild[] = [];
  let complaints = 0;
  const complaintKinds = new Map<string, number>();
  try {
    // The newsroom's setup, through the Store, before any replica starts.
    const store = await openStore(parseDatabaseUrl(databaseUrl, process.cwd()));
    try {
      for (const feed of pollFeeds) await store.addSource({ url: feed.url, feedUrl: feed.url, title: null });
      const { source: news } = await store.addSource({ url: newsFeed.url, feedUrl: newsFeed.url, title: 'أخبار' });
      for (let c = 0; c < options.channels; c++) {
        const id = channelId(c);
        telegram.addChat({ id, type: 'channel', title: `قناة ${c}` });
        await store.upsertChat({ id, kind: 'channel', title: `قناة ${c}`, username: null });
        await store.subscribe(id, [news.id], null);
      }
    } finally {
      await store.close();
    }

    const env = {
      BOT_TOKEN: token,
      // A bot admin nobody writes as (the app warns at start without one).
      BOT_ADMINS: '9001',
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: databaseUrl,
      HTTP_PORT: '0',
      POLL_CRON: '* * * * * *',
      FETCH_ALLOW_HOSTS: farm.allowHosts.join(','),
      WORKER_THREADS: '1',
      LOG_LEVEL: 'info',
    };
    /** Starts the replicas with `extra` settings; each one's warnings and errors are counted. */
    const startReplicas = async (extra: Record<string, string>): Promise<number> => {
      const started: BenchChild[] = [];
      for (let n = 0; n < replicas; n++) {
        const child = forkBenchChild('./app-process.ts');
        // As in the replicas e2e test: the stand-ins share this process, and stand-ins starved of CPU
        // by the replicas would stamp sends in bunches, as Telegram's own servers would not.
        os.setPriority(child.pid, 10);
        child.onEvent((event) => {
          if (event.kind !== 'log' || Number(event.line?.level ?? 0) < 40) return;
          complaints += 1;
          const err = event.line.err as { message?: string } | undefined;
          const kind = `${String(event.line.msg)}${err?.message ? `: ${err.message}` : ''}`;
          complaintKinds.set(kind, (complaintKinds.get(kind) ?? 0) + 1);
        });
        started.push(child);
        children.push(child);
      }
      const startAsked = Date.now();
      await Promise.all(started.map((child) => child.request({ kind: 'start', env: { ...env, ...extra } }, 90_000)));
      return Date.now() - startAsked;
    };
    const stopReplicas = async () => {
      await Promise.all(children.map((child) => child.request({ kind: 'stop' }, 30_000)));
      await Promise.all(children.splice(0).map((child) => child.exit()));
    };
    // Lifted limits at the stand-in and in nashra (SEND_RATE): what the store and the processes can do.
    const startMs = await startReplicas({ SEND_RATE: String(freeSendRate) });

    // Polls: every feed once (a full parse of its 3 items), then every feed due at every tick.
    const pollRequests = () => pollFeeds.reduce((sum, feed) => sum + feed.requests, 0);
    await waitFor(() => pollFeeds.every((feed) => feed.requests > 0), 'every feed polled once', options.timeoutMs);
    await sleep(2000);
    const pollsPerSecond: number[] = [];
    const replicaCpu = async () => {
      const usages = await Promise.all(children.map((child) => child.request<{ cpuMs: number }>({ kind: 'usage' })));
      return usages.reduce((sum, usage) => sum + usage.cpuMs, 0);
    };
    const replicaCpuBefore = await replicaCpu();
    const pollsBefore = pollRequests();
    const machineBefore = machineCpu();
    const ownBefore = process.cpuUsage();
    const windowsStarted = Date.now();
    for (let rep = 0; rep < options.repetitions; rep++) {
      const before = pollRequests();
      const started = Date.now();
      await sleep(options.pollWindowMs);
      pollsPerSecond.push((pollRequests() - before) / ((Date.now() - started) / 1000));
    }
    const machineAfter = machineCpu();
    const own = process.cpuUsage(ownBefore);
    const replicaCpuMsPerPoll = ((await replicaCpu()) - replicaCpuBefore) / (pollRequests() - pollsBefore);
    const machineBusy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
    const standInBusy = (own.user + own.system) / 1000 / ((Date.now() - windowsStarted) * os.availableParallelism());
    // The feeds ask to be left alone for an hour: each replica's next poll of each reads that.
    const asked = pollFeeds.map((feed) => {
      feed.headers = { 'cache-control': 'max-age=3600' };
      return feed.requests;
    });
    await waitFor(() => pollFeeds.every((feed, f) => feed.requests > asked[f]!), 'every feed polled after max-age', options.timeoutMs);
    await sleep(1500);

    // Deliveries: one story to every channel per repetition.
    const refused = new Set<RecordedCall>();
    const deliver = async (marker: string) => {
      const refusalsBefore = telegram.floodRefusals.length;
      farm.farm.publish(newsFeed, { guid: marker, title: `${marker} عنوان الخبر` });
      const accepted = () => {
        for (const call of telegram.floodRefusals) refused.add(call);
        return telegram.calls.filter(
          (call) => call.method === 'sendMessage' && Number(call.params.chat_id) < 0 && !refused.has(call) && String(call.params.text ?? '').includes(marker),
        );
      };
      await waitFor(() => accepted().length >= options.channels, `${options.channels} posts of ${marker}`, options.timeoutMs);
      await sleep(300); // a repeat would come now
      const sends = accepted();
      const perChat = new Set(sends.map((call) => Number(call.params.chat_id)));
      const times = sends.map((call) => call.at).sort((a, b) => a - b);
      return {
        rate: (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000),
        refusals: telegram.floodRefusals.length - refusalsBefore,
        densest: densestWindow(times),
        repeated: sends.length - perChat.size,
      };
    };
    const freeRates: number[] = [];
    const limitedRates: number[] = [];
    let refusals = 0;
    let densest = 0;
    let repeated = 0;
    for (let rep = 0; rep < options.repetitions; rep++) {
      const run = await deliver(`${options.label}-free-${rep}`);
      freeRates.push(run.rate);
      repeated += run.repeated;
    }
    if (options.floodLimits) {
      // Telegram's limits on from here, at the stand-in and in nashra (SEND_RATE's default 30): the
      // replicas start again (the stand-in counts sends from now; every channel's last post is 3 s old or more).
      await stopReplicas();
      await startReplicas({});
      await sleep(3000);
      telegram.options.floodLimits = options.floodLimits;
      for (let rep = 0; rep < options.repetitions; rep++) {
        const run = await deliver(`${options.label}-limited-${rep}`);
        limitedRates.push(run.rate);
        refusals += run.refusals;
        densest = Math.max(densest, run.densest);
        repeated += run.repeated;
      }
    }
    await stopReplicas();
    if (complaints > 0) {
      const kinds = [...complaintKinds].map(([kind, count]) => `${count} x "${kind}"`).join(', ');
      console.error(`replicas (${backend} x${replicas}): the replicas logged ${complaints} warn/error lines: ${kinds}`);
    }
    return { backend, replicas, pollsPerSecond, machineBusy, standInBusy, replicaCpuMsPerPoll, freeRates, limitedRates, refusals, densest, complaints, startMs, repeated };
  } finally {
    await Promise.all(children.map((child) => child.exit()));
    await telegram.close();
    await database?.drop();
    temp?.remove();
  }
}

/** CPU time of every core since boot, ms: busy (all but idle) and total. */
function machineCpu(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`replicas bench: no ${what} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/**
 * `npm run bench -- replicas`: SQLite (one process), then 1, 2 and 3 replicas on one PostgreSQL
 * database. When PostgreSQL cannot be reached, one line says so and the SQLite figures are printed
 * alone.
 */
export async function benchReplicas(options: {
  channels: number;
  pollHosts: number;
  feedsPerHost: number;
  pollWindowMs: number;
  repetitions: number;
  floodLimits: FloodLimits;
  timeoutMs: number;
  /** Printed before the figures (the skip line). */
  say: (line: string) => void;
}): Promise<Figure[]> {
  const farm = await startFarm(options.pollHosts + 1);
  const results: SetResult[] = [];
  const pgReachable = await postgresAvailable();
  if (!pgReachable) options.say(`replicas: PostgreSQL not reachable at ${shownTestDatabaseUrl} (TEST_DATABASE_URL): the PostgreSQL figures are skipped, SQLite alone below`);
  try {
    const sets: Array<{ backend: Backend; replicas: number; limited: boolean }> = [
      { backend: 'sqlite', replicas: 1, limited: true },
      ...(pgReachable
        ? ([
            { backend: 'postgres', replicas: 1, limited: false },
            { backend: 'postgres', replicas: 2, limited: false },
            { backend: 'postgres', replicas: 3, limited: true },
          ] as const)
        : []),
    ];
    for (const [n, set] of sets.entries()) {
      results.push(
        await runSet({
          ...options,
          ...set,
          farm,
          label: `set${n}`,
          floodLimits: set.limited ? options.floodLimits : undefined,
        }),
      );
    }
  } finally {
    await farm.farm.close();
  }
  return figures(results, options, farm);
}

function figures(results: SetResult[], options: { channels: number; pollHosts: number; feedsPerHost: number; pollWindowMs: number; repetitions: number; floodLimits: FloodLimits }, farm: Farm): Figure[] {
  const reps = options.repetitions;
  const find = (backend: Backend, replicas: number) => results.find((r) => r.backend === backend && r.replicas === replicas);
  const sqlite = find('sqlite', 1)!;
  const pg1 = find('postgres', 1);
  const feeds = options.pollHosts * options.feedsPerHost;
  const name = (r: SetResult) => (r.backend === 'sqlite' ? 'SQLite, 1 process' : `PG, ${r.replicas} replica${r.replicas > 1 ? 's' : ''}`);
  const baselineOf = (r: SetResult) => (r.backend === 'sqlite' ? undefined : r.replicas === 1 ? sqlite : pg1);
  const baselineName = (r: SetResult) => (r.backend === 'postgres' && r.replicas === 1 ? 'SQLite, 1 process' : 'PG, 1 replica');
  const setDetail = (r: SetResult) => `start ${(r.startMs / 1000).toFixed(1)} s${r.complaints > 0 ? `, ${r.complaints} warn/error log lines` : ''}`;
  const out: Figure[] = [];

  for (const r of results) {
    const value = median(r.pollsPerSecond);
    const base = baselineOf(r);
    out.push({
      name: `replicas.polls, ${name(r)}`,
      value,
      unit: 'polls/s',
      repetitions: reps,
      detail:
        `feed requests at the farm over ${options.pollWindowMs / 1000} s windows; ${feeds} feeds on ${options.pollHosts} hosts, unchanged, ` +
        `every one due at every tick (POLL_CRON every second), 1 worker thread a process; ` +
        `replicas' CPU ${r.replicaCpuMsPerPoll.toFixed(2)} ms a poll; machine CPU busy ${(100 * r.machineBusy).toFixed(0)}% of ${os.availableParallelism()} cores ` +
        `(${(100 * r.standInBusy).toFixed(0)}% the stand-ins); ${setDetail(r)}${farm.note ? `; ${farm.note}` : ''}`,
      baseline: base ? { ratio: value / median(base.pollsPerSecond), meaning: `of ${baselineName(r)}` } : undefined,
    });
  }
  for (const r of results) {
    const value = median(r.freeRates);
    const base = baselineOf(r);
    out.push({
      name: `replicas.sends, no limits, ${name(r)}`,
      value,
      unit: 'msg/s',
      repetitions: reps,
      detail:
        `(posts - 1) / (last send - first send) at the stand-in, flood limits lifted there and in nashra (SEND_RATE=${freeSendRate}), one story to ${options.channels} channels a run ` +
        `${r.repeated > 0 ? `; ${r.repeated} posts sent twice` : ''}`,
      baseline: base ? { ratio: value / median(base.freeRates), meaning: `of ${baselineName(r)}` } : undefined,
    });
  }
  const limits = options.floodLimits;
  for (const r of results.filter((result) => result.limitedRates.length > 0)) {
    const value = median(r.limitedRates);
    out.push(
      {
        name: `replicas.sends, limits on, ${name(r)}`,
        value,
        unit: 'msg/s',
        repetitions: reps,
        detail:
          `accepted sends, (posts - 1) / (last - first), stand-in limits ${limits.globalPerSecond}/s overall, ${limits.groupPerMinute}/min a channel, ` +
          `one story to ${options.channels} channels a run${r.repeated > 0 ? `; ${r.repeated} posts sent twice` : ''}`,
        baseline: { ratio: value / limits.globalPerSecond, meaning: `of ${limits.globalPerSecond} msg/s (goal >= 0.95, never above 1)` },
      },
      {
        name: `replicas.429 refusals, ${name(r)}`,
        value: r.refusals,
        unit: 'refusals',
        repetitions: reps,
        aggregate: 'total',
        detail: `sends the stand-in refused for flood over the ${reps} limited runs (goal 0)`,
      },
      {
        name: `replicas.densest second, ${name(r)}`,
        value: r.densest,
        unit: 'msg',
        repetitions: reps,
        aggregate: 'max',
        detail: `most accepted sends inside any 1 s at the stand-in (limit ${limits.globalPerSecond})`,
      },
    );
  }
  const pg3 = find('postgres', 3);
  if (pg3 && pg3.limitedRates.length > 0) {
    const last = out.at(-3)!;
    last.detail += `; ${(median(pg3.limitedRates) / median(sqlite.limitedRates)).toFixed(2)} of SQLite, 1 process`;
  }
  return out;
}
