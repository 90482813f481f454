/**
 * `npm run bench`: one line per figure, medians over repetitions, with ratios to baselines measured
 * in the same run. Everything stays on this machine (the stand-ins listen on 127.0.0.1 and 127.0.1.x),
 * SQLite files live in temp dirs that are removed (the replicas section's PostgreSQL databases are
 * dropped), and bench/README.md says how long each section takes on two cores.
 * `npm run bench -- <section>…` runs some sections only (see `sections`).
 */
import { performance } from 'node:perf_hooks';
import { benchDelivery } from './delivery-bench.js';
import { benchIngest } from './ingest-bench.js';
import { formatFigure, machineLine, type Figure } from './measure.js';
import { benchAddSourceIngest, benchDeliveryWhilePolling, benchPollCycle, benchStartWithSources } from './poll-bench.js';
import { benchRepliesUnderBurst } from './replies-bench.js';
import { benchReplicas } from './replicas-bench.js';
import { benchSearch } from './search-bench.js';
import { benchText, benchTextGrowth } from './text-bench.js';

const repetitions = 5;

function print(figures: Figure[]): void {
  for (const figure of figures) console.log(formatFigure(figure));
}

/** Each section by name: `npm run bench -- replies delivery` runs those only, in this order; no names, all of them. */
const sections: Record<string, () => Promise<void>> = {
  async text() {
    print(benchText({ targetBytes: 2_000_000, repetitions }));
    print(benchTextGrowth({ repetitions: 3 }));
  },
  async ingest() {
    print(await benchIngest({ feeds: 50, itemsPerFeed: 100, repetitions }));
  },
  async search() {
    // Issue 12's search figures: 100,000 and 1,000,000 articles (the 1M store is built once, about 2.5
    // minutes, and searched three times over; its rebuild, which redoes every item's text rules, is left out).
    print(
      await benchSearch({
        itemCounts: [100_000, 1_000_000],
        queryCount: 300,
        repetitions: 3,
        buildRepetitions: (items) => (items >= 1_000_000 ? 1 : 3),
        rebuild: (items) => items < 1_000_000,
      }),
    );
  },
  async delivery() {
    print(
      await benchDelivery({
        channels: 60,
        items: 2,
        limits: { globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 },
        // Each run needs about 3 s at 30/s; three keep the section near 10 s.
        repetitions: 3,
        timeoutMs: 15_000,
      }),
    );
  },
  async poll() {
    // Issue 11's polling figures: 1,000 feeds on 50 loopback hosts (127.0.1.1-50), the app in a child process.
    print(await benchPollCycle({ hosts: 50, feedsPerHost: 20, itemsPerFeed: 20, newShare: 0.1, fetchTimeoutMs: 3000, repetitions: 3 }));
    print(await benchStartWithSources({ hosts: 50, feedsPerHost: 20, itemsPerFeed: 20, repetitions: 3 }));
    print(await benchAddSourceIngest({ items: 2000, repetitions: 5 }));
  },
  async busy() {
    // Issue 11 and 13: 600 posts to 300 channels while 20 feeds of 1,000 items are polled every 2 s,
    // with /start and /search answered meanwhile (about 1½ minutes).
    print(await benchDeliveryWhilePolling({ channels: 300, items: 2, polled: 20, itemsPerFeed: 1000, idleProbes: 30, timeoutMs: 90_000 }));
  },
  async replies() {
    // Issue 13: 300 channels send /subscribe at once, against Telegram's flood limits (about 15 s a run).
    print(await benchRepliesUnderBurst({ channels: 300, repetitions: 3, timeoutMs: 120_000 }));
  },
  async replicas() {
    // 1, 2 and 3 nashra processes on one PostgreSQL database against one on SQLite: polls/s over
    // 1,000 feeds on 50 hosts, and posts/s to 300 channels, the flood limits lifted and then on.
    print(
      await benchReplicas({
        channels: 300,
        pollHosts: 50,
        feedsPerHost: 20,
        pollWindowMs: 3000,
        repetitions: 3,
        floodLimits: { globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 },
        timeoutMs: 60_000,
        say: (line) => console.log(line),
      }),
    );
  },
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in sections));
if (unknown.length > 0) {
  console.error(`unknown bench section(s): ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}
const started = performance.now();
console.log(machineLine());
for (const [name, run] of Object.entries(sections)) {
  if (asked.length === 0 || asked.includes(name)) await run();
}
console.log(`bench done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
