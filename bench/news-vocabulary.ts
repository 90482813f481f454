/**
 * A larger vocabulary for the search benchmarks than the seed's few hundred words: every word of the
 * hand-written evaluation set (tests/fixtures/search-eval/, Syrian news in Arabic and English wire
 * copy, signature lines left out) as often as it occurs there, so frequent words stay frequent and
 * names stay rare, plus the seed's words and its broken forms. Posting lists are still denser than in real news (a few
 * thousand distinct words), so latencies lean pessimistic.
 */
import { loadEvalSet } from '../tests/fixtures/search-eval/eval-set.js';
import { seedVocabulary, type Vocabulary } from './synthetic-news.js';

const EDGE_PUNCTUATION = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;
const ARABIC_WORD = /^[\p{Script=Arabic}\p{M}]+$/u;
const BROKEN_WORD = /^[\p{Script=Arabic}\p{M}.؟]+$/u;
const LATIN_WORD = /^[A-Za-z][A-Za-z'-]*$/;

/** The evaluation set's words (with repetition, as they occur) and the seed's, by kind. */
export function newsVocabulary(): Vocabulary {
  const seed = seedVocabulary();
  const arabic = [...seed.arabic];
  const broken = [...seed.broken];
  const english = [...seed.english];
  for (const article of loadEvalSet().articles) {
    // The last line is the source's signature: repeated under every article, it is not news language.
    const lines = article.lines.filter((line) => line !== '').slice(0, -1);
    for (const raw of [article.title, ...lines].join(' ').split(/\s+/)) {
      const word = raw.replace(EDGE_PUNCTUATION, '');
      if (word === '') continue;
      if (ARABIC_WORD.test(word) && !word.includes('\u0640')) arabic.push(word);
      else if (word.includes('\u0640') && BROKEN_WORD.test(word)) broken.push(word);
      else if (LATIN_WORD.test(word)) english.push(word);
    }
  }
  return { arabic, broken, english };
}

/** The evaluation set's queries as typed (`{source}` placeholders left in). */
export function evalQueries(): string[] {
  return loadEvalSet().queries.map((query) => query.text);
}
