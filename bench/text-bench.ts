import { normalizeForSearch, restoreBrokenWords } from '../src/text/index.js';
import { median, timeMs, type Figure } from './measure.js';
import { readSeedArticle } from './synthetic-news.js';

/** MB here is 10^6 bytes of UTF-8 input (an Arabic letter is two bytes). */
const bytesPerMb = 1_000_000;

/**
 * Throughput of the two text rules that run on every item, over the seed article repeated to
 * `targetBytes`; the baseline is NFKC plus lowercasing, the least any normaliser has to do.
 */
export function benchText(options: { targetBytes: number; repetitions: number }): Figure[] {
  const seed = readSeedArticle();
  const copies = Math.ceil(options.targetBytes / Buffer.byteLength(seed, 'utf8'));
  const corpus = Array.from({ length: copies }, () => seed).join('\n');
  const bytes = Buffer.byteLength(corpus, 'utf8');

  const cases = {
    restoreBrokenWords: () => restoreBrokenWords(corpus),
    normalizeForSearch: () => normalizeForSearch(corpus),
    baseline: () => corpus.normalize('NFKC').toLowerCase(),
  };
  type Case = keyof typeof cases;
  const samples: Record<Case, number[]> = { restoreBrokenWords: [], normalizeForSearch: [], baseline: [] };

  // Keeps the results alive so no engine can skip the work.
  let sink = 0;
  for (const run of Object.values(cases)) sink += run().length; // warm-up
  // Interleaved, so a slow phase of the machine hits every case alike.
  for (let rep = 0; rep < options.repetitions; rep++) {
    for (const [name, run] of Object.entries(cases) as Array<[Case, () => string]>) {
      samples[name].push(timeMs(() => (sink += run().length)));
    }
  }
  if (sink === 0) throw new Error('text cases produced nothing');

  const baselineMs = median(samples.baseline);
  const detail = `${(bytes / bytesPerMb).toFixed(2)} MB corpus (seed x${copies})`;
  const mbPerSecond = (ms: number) => bytes / bytesPerMb / (ms / 1000);
  const ours = (name: 'restoreBrokenWords' | 'normalizeForSearch'): Figure => ({
    name: `text.${name}`,
    value: mbPerSecond(median(samples[name])),
    unit: 'MB/s',
    repetitions: options.repetitions,
    detail,
    baseline: { ratio: median(samples[name]) / baselineMs, meaning: 'time vs NFKC+toLowerCase' },
  });
  return [
    ours('restoreBrokenWords'),
    ours('normalizeForSearch'),
    {
      name: 'text.baseline NFKC+toLowerCase',
      value: mbPerSecond(baselineMs),
      unit: 'MB/s',
      repetitions: options.repetitions,
      detail,
    },
  ];
}
