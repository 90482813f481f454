import {
  displayUrl,
  htmlToText,
  indexTokens,
  learnSignatures,
  makeHeadline,
  normalizeForSearch,
  restoreBrokenWords,
  stemWord,
  stripBoilerplate,
} from '../src/text/index.js';
import { HOSTILE_INPUTS, type TextRule } from '../tests/text/hostile-inputs.js';
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

/** Each hostile family is timed through the rule it was built against, as the pipeline calls it. */
const RULES: Readonly<Record<TextRule, (input: string) => number>> = {
  restoreBrokenWords: (input) => restoreBrokenWords(input).length,
  normalizeForSearch: (input) => normalizeForSearch(input).length,
  htmlToText: (input) => htmlToText(input).length,
  makeHeadline: (input) => makeHeadline({ title: null, text: input })?.length ?? 0,
  stripBoilerplate: (input) => stripBoilerplate(input).length,
  stemWord: (input) => stemWord(input).length,
  indexTokens: (input) => indexTokens(input).length,
  displayUrl: (input) => displayUrl(input).length,
  learnSignatures: (input) => learnSignatures([input, input, input, input, input]).length,
};

const GROWTH_LENGTHS = [10_000, 100_000, 1_000_000] as const;
// A sample at a small size times enough calls to cover this many characters, then divides: one
// call on 10k characters takes a tenth of a millisecond, too close to the timer and to GC noise.
const CHARACTERS_PER_SAMPLE = 200_000;

function formatMs(ms: number): string {
  return ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(2);
}

/**
 * Linear time on untrusted text, shown: every hostile input family of tests/text/hostile-inputs.ts
 * at 10 thousand, 100 thousand and 1 million characters through the rule it attacks. The figure is
 * the time of one call at 1M; the ratio 1M / 10k is about 100 for a linear rule (10,000 for a
 * quadratic one).
 */
export function benchTextGrowth(options: { repetitions: number }): Figure[] {
  // Keeps the results alive so no engine can skip the work.
  let sink = 0;
  const figures = HOSTILE_INPUTS.map((family): Figure => {
    const rule = RULES[family.attacks];
    const inputs = GROWTH_LENGTHS.map((length) => family.build(length));
    sink += rule(inputs[1]!); // warm-up, so the first figure does not time the compiler
    const [small, middle, large] = inputs.map((input) => {
      const calls = Math.max(1, Math.round(CHARACTERS_PER_SAMPLE / input.length));
      const samples: number[] = [];
      for (let rep = 0; rep < options.repetitions; rep++) {
        const elapsedMs = timeMs(() => {
          for (let call = 0; call < calls; call++) sink += rule(input);
        });
        samples.push(elapsedMs / calls);
      }
      return median(samples);
    }) as [number, number, number];
    return {
      name: `text.hostile ${family.name}`,
      value: large,
      unit: 'ms',
      repetitions: options.repetitions,
      detail: `${family.attacks}: 10k ${formatMs(small)} ms, 100k ${formatMs(middle)} ms, 1M ${formatMs(large)} ms`,
      baseline: { ratio: large / small, meaning: '1M vs 10k characters; linear is ~100' },
    };
  });
  if (sink === 0) throw new Error('hostile text cases produced nothing');
  return figures;
}
