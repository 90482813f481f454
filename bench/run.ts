/**
 * `npm run bench`: one line per figure, medians over repetitions, with ratios to baselines measured
 * in the same run. Everything stays on this machine (the stand-in Bot API listens on 127.0.0.1),
 * SQLite files live in temp dirs that are removed, and the whole run takes a few minutes at most.
 */
import { performance } from 'node:perf_hooks';
import { benchDelivery } from './delivery-bench.js';
import { benchIngest } from './ingest-bench.js';
import { formatFigure, machineLine, type Figure } from './measure.js';
import { benchSearch } from './search-bench.js';
import { benchText, benchTextGrowth } from './text-bench.js';

const repetitions = 5;

function print(figures: Figure[]): void {
  for (const figure of figures) console.log(formatFigure(figure));
}

const started = performance.now();
console.log(machineLine());
print(benchText({ targetBytes: 2_000_000, repetitions }));
print(benchTextGrowth({ repetitions: 3 }));
print(await benchIngest({ feeds: 50, itemsPerFeed: 100, repetitions }));
print(await benchSearch({ itemCount: 20_000, queryCount: 300, likeQueryCount: 60, repetitions, buildRepetitions: repetitions }));
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
console.log(`bench done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
