import fs from 'node:fs';
import { restoreBrokenWords } from '../src/text/index.js';

/**
 * Deterministic synthetic news built from the seed article's own words, so every run (and every
 * machine) benchmarks the same text. Nothing here touches the network: the links are strings only.
 */

const seedFile = new URL('../tests/fixtures/seed-article.txt', import.meta.url);

/** The seed article exactly as stored in the fixtures (skip link, headline, body, signature). */
export function readSeedArticle(): string {
  return fs.readFileSync(seedFile, 'utf8');
}

/** A small xorshift32 generator: reproducible, and fast enough not to show in the figures. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    let x = this.state;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.state = x;
    return x / 2 ** 32;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('pick from an empty list');
    return list[Math.floor(this.next() * list.length)]!;
  }
}

export interface Vocabulary {
  /** Arabic words of the seed as written there (hamza, shadda and all), none broken. */
  arabic: string[];
  /** The seed's words broken with tatweel and punctuation (`خـ.ـسائر`), as published. */
  broken: string[];
  /** English news words, for the share of items and queries that are not Arabic. */
  english: string[];
}

const englishWords = [
  'russia', 'idlib', 'ceasefire', 'ministry', 'defence', 'statement', 'offensive', 'militia',
  'casualties', 'reuters', 'syria', 'turkey', 'aleppo', 'front', 'regime', 'forces', 'withdrawal',
  'attack', 'tanks', 'rocket', 'launcher', 'convoy', 'sources', 'opposition', 'government', 'report',
  'killed', 'wounded', 'reconciliation', 'centre', 'truce', 'agreement', 'villages', 'countryside',
  'southern', 'eastern', 'western', 'military', 'operation', 'shelling', 'positions', 'factions',
];

// Leading and trailing punctuation (quotes, commas, full stops) is not part of a word.
const EDGE_PUNCTUATION = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;
const ARABIC_WORD = /^[\p{Script=Arabic}\p{M}]+$/u;

/** The seed article's words, split into clean and broken ones, plus the English list. */
export function seedVocabulary(): Vocabulary {
  const arabic = new Set<string>();
  const broken = new Set<string>();
  for (const raw of readSeedArticle().split(/\s+/)) {
    const word = raw.replace(EDGE_PUNCTUATION, '');
    if (word === '') continue;
    if (ARABIC_WORD.test(word)) arabic.add(word);
    else if (word.includes('\u0640') && restoreBrokenWords(word) !== word) broken.add(word);
  }
  return { arabic: [...arabic], broken: [...broken], english: englishWords.map((word) => word.charAt(0).toUpperCase() + word.slice(1)) };
}

export interface SyntheticArticle {
  guid: string;
  title: string;
  link: string;
  paragraphs: string[];
  publishedAt: Date;
}

type Language = 'arabic' | 'english';

interface WordMix {
  language: Language;
  /** Chance that an Arabic word is written broken. */
  brokenRate: number;
  /** Chance that an Arabic sentence borrows an English word. */
  englishRate: number;
}

function sentence(random: Random, vocabulary: Vocabulary, mix: WordMix, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    if (mix.language === 'english') out.push(random.pick(vocabulary.english).toLowerCase());
    else if (random.chance(mix.englishRate)) out.push(random.pick(vocabulary.english));
    else if (random.chance(mix.brokenRate)) out.push(random.pick(vocabulary.broken));
    else out.push(random.pick(vocabulary.arabic));
    if (i > 2 && i < words - 2 && random.chance(0.08)) out[out.length - 1] += mix.language === 'english' ? ',' : '،';
  }
  return out.join(' ') + '.';
}

/**
 * One article: mostly Arabic (a share with broken words, a share borrowing English words), some
 * wholly English; now and then a "read also" line of the kind `stripBoilerplate` removes.
 */
export function makeArticle(random: Random, vocabulary: Vocabulary, id: string, publishedAt: Date): SyntheticArticle {
  const mix: WordMix = random.chance(0.1)
    ? { language: 'english', brokenRate: 0, englishRate: 0 }
    : { language: 'arabic', brokenRate: random.chance(0.4) ? 0.06 : 0, englishRate: random.chance(0.2) ? 0.04 : 0 };
  const title = sentence(random, vocabulary, mix, random.int(6, 12)).slice(0, -1);
  const paragraphs: string[] = [];
  const paragraphCount = random.int(3, 6);
  for (let p = 0; p < paragraphCount; p++) {
    const sentences: string[] = [];
    const sentenceCount = random.int(1, 3);
    for (let s = 0; s < sentenceCount; s++) sentences.push(sentence(random, vocabulary, mix, random.int(8, 20)));
    paragraphs.push(sentences.join(' '));
  }
  if (mix.language === 'arabic' && random.chance(0.1)) {
    paragraphs.splice(1, 0, `إقرأ أيضاً : ${sentence(random, vocabulary, mix, 8)}`);
  }
  return { guid: `bench-${id}`, title, link: `https://news.invalid/${id}`, paragraphs, publishedAt };
}

const xmlEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** The article's body as feeds carry it: HTML paragraphs. */
export function articleHtml(article: SyntheticArticle): string {
  return article.paragraphs.map((paragraph) => `<p>${xmlEscape(paragraph)}</p>`).join('');
}

/** An RSS 2.0 document listing the articles newest first, as news sites publish. */
export function renderRssFeed(title: string, siteUrl: string, articles: readonly SyntheticArticle[]): string {
  const items = [...articles]
    .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime())
    .map(
      (article) => `
    <item>
      <title>${xmlEscape(article.title)}</title>
      <link>${xmlEscape(article.link)}</link>
      <guid isPermaLink="false">${xmlEscape(article.guid)}</guid>
      <pubDate>${article.publishedAt.toUTCString()}</pubDate>
      <description>${xmlEscape(articleHtml(article))}</description>
    </item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${xmlEscape(title)}</title>
    <link>${xmlEscape(siteUrl)}</link>
    <description>أخبار</description>${items}
  </channel>
</rss>`;
}

/** Articles with publication times spread evenly over the `days` before `end`. */
export function makeArticles(random: Random, vocabulary: Vocabulary, count: number, prefix: string, end: Date, days = 30): SyntheticArticle[] {
  const spanMs = days * 86_400_000;
  const articles: SyntheticArticle[] = [];
  for (let i = 0; i < count; i++) {
    const publishedAt = new Date(end.getTime() - spanMs + Math.floor((spanMs * (i + 1)) / count));
    publishedAt.setUTCMilliseconds(0); // RSS dates carry whole seconds
    articles.push(makeArticle(random, vocabulary, `${prefix}-${i}`, publishedAt));
  }
  return articles;
}
