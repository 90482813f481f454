import { performance } from 'node:perf_hooks';

import { describe, expect, it } from 'vitest';

import {
  cleanDisplayText,
  collapseBlankLines,
  displayUrl,
  escapeHtml,
  htmlToText,
  indexTokens,
  learnSignatures,
  makeHeadline,
  makeSummary,
  normalizeForSearch,
  queryTerm,
  restoreBrokenWords,
  searchTokens,
  startsRightToLeft,
  stemWord,
  stripBoilerplate,
} from '../../src/text/index.js';
import { HOSTILE_INPUTS } from './hostile-inputs.js';

/**
 * Every exported word rule, as the pipeline and the bot call it. Each returns the size of what it
 * produced, so the call cannot be skipped and the result can be checked.
 */
const TEXT_FUNCTIONS: ReadonlyArray<{ name: string; run: (input: string) => number }> = [
  { name: 'restoreBrokenWords', run: (input) => restoreBrokenWords(input).length },
  { name: 'htmlToText', run: (input) => htmlToText(input).length },
  { name: 'escapeHtml', run: (input) => escapeHtml(input).length },
  { name: 'makeHeadline of a title', run: (input) => makeHeadline({ title: input, text: null })?.length ?? 0 },
  { name: 'makeHeadline of an untitled body', run: (input) => makeHeadline({ title: null, text: input })?.length ?? 0 },
  // The pipeline passes a headline of at most 120 characters; the second row gives it the whole input.
  { name: 'makeSummary under a short headline', run: (input) => makeSummary(input, 'عنوان الخبر')?.length ?? 0 },
  { name: 'makeSummary under the input as headline', run: (input) => makeSummary(input, input)?.length ?? 0 },
  { name: 'stripBoilerplate', run: (input) => stripBoilerplate(input, { signatures: ['مدونة'] }).length },
  { name: 'normalizeForSearch', run: (input) => normalizeForSearch(input).length },
  { name: 'searchTokens', run: (input) => searchTokens(input).length },
  { name: 'startsRightToLeft', run: (input) => startsRightToLeft(input).length },
  {
    name: 'startsRightToLeft under a headline',
    run: (input) => startsRightToLeft(input, { under: input }).length,
  },
  { name: 'stemWord', run: (input) => stemWord(input).length },
  { name: 'indexTokens', run: (input) => indexTokens(input).length },
  {
    name: 'queryTerm',
    run: (input) => {
      const term = queryTerm(input);
      return term === null ? 0 : term.surface.length + term.stem.length;
    },
  },
  { name: 'cleanDisplayText', run: (input) => cleanDisplayText(input).length },
  { name: 'displayUrl', run: (input) => displayUrl(input).length },
  {
    name: 'learnSignatures',
    // Five bodies at once: each is a copy of the input, so every line is in all of them.
    run: (input) => learnSignatures([input, input, input, input, input]).join('\n').length,
  },
  { name: 'collapseBlankLines', run: (input) => collapseBlankLines(input.split('\n')).length },
];

/**
 * A linear rule takes tens of milliseconds on 1 MB; a quadratic one takes minutes. The input grows
 * in steps, each with a budget proportional to its size (never under 250 ms, for a busy machine),
 * so a quadratic rule fails within seconds at the step where it blows up instead of hanging.
 */
const MEGABYTE = 1 << 20;
const BUDGET_MS = 2000;
const STEPS = [MEGABYTE / 64, MEGABYTE / 8, MEGABYTE];

for (const { name, run } of TEXT_FUNCTIONS) {
  describe(`${name} on hostile input`, () => {
    for (const hostile of HOSTILE_INPUTS) {
      it(`finishes 1 MB of ${hostile.name} within 2 s`, () => {
        for (const length of STEPS) {
          const input = hostile.build(length);
          const started = performance.now();
          const size = run(input);
          const elapsedMs = performance.now() - started;
          const budgetMs = Math.max(250, (BUDGET_MS * length) / MEGABYTE);
          expect(elapsedMs, `${input.length} characters`).toBeLessThan(budgetMs);
          // No rule here multiplies its input: the most is escapeHtml's `"` into `&quot;`.
          expect(size).toBeLessThanOrEqual(input.length * 6);
        }
      });
    }
  });
}
