import { benchIngest } from './ingest-bench.js';
import { formatFigure } from './measure.js';
for (const f of await benchIngest({ feeds: 50, itemsPerFeed: 100, repetitions: 5 })) console.log(formatFigure(f));
