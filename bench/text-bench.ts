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

  // The pipeline calls these per article, not on megabytes at once; both shapes are timed.
  const perArticle = (rule: (text: string) => string) => () => {
    let length = 0;
    for (let i = 0; i < copies; i++) length += rule(seed).length;
    return length;
  };
  const baselineRule = (text: string) => text.normalize('NFKC').toLowerCase();
  const cases = {
    restoreBrokenWords: () => restoreBrokenWords(corpus).length,
    normalizeForSearch: () => normalizeForSearch(corpus).length,
    baseline: () => baselineRule(corpus).length,
    normalizeForSearchPerArticle: perArticle(normalizeForSearch),
    baselinePerArticle: perArticle(baselineRule),
  };
  type Case = keyof typeof cases;
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, [] as number[]])) as Record<Case, number[]>;

  // Keeps the results alive so no engine can skip the work.
  let sink = 0;
  for (const run of Object.values(cases)) sink += run(); // warm-up
  // Interleaved, so a slow phase of the machine hits every case alike.
  for (let rep = 0; rep < options.repetitions; rep++) {
    for (const [name, run] of Object.entries(cases) as Array<[Case, () => number]>) {
      samples[name].push(timeMs(() => (sink += run())));
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
      name: 'text.normalizeForSearch/article',
      value: mbPerSecond(median(samples.normalizeForSearchPerArticle)),
      unit: 'MB/s',
      repetitions: options.repetitions,
      detail: `same bytes, one call per ${(Buffer.byteLength(seed, 'utf8') / 1000).toFixed(1)} KB seed copy`,
      baseline: {
        ratio: median(samples.normalizeForSearchPerArticle) / median(samples.baselinePerArticle),
        meaning: 'time vs NFKC+toLowerCase per copy',
      },
    },
    {
      name: 'text.baseline NFKC+toLowerCase',
      value: mbPerSecond(baselineMs),
      unit: 'MB/s',
      repetitions: options.repetitions,
      detail,
    },
  ];
}
