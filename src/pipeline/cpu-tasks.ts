/**
 * The CPU-heavy steps of a poll as pure functions (plain data in, plain data out, no I/O), so they
 * can run on a worker thread (see cpu-pool.ts) and a test can call them in-process.
 */
import { extractArticleText } from '../sources/extract-article.js';
import { parseDocument as parseDocumentBody } from '../sources/parse-document.js';
import { escapeHtml, indexTokens, learnSignatures as learnRepeatedLines, stripBoilerplate } from '../text/index.js';
import type { DocumentInput, FeedEntry, ParsedDocument } from '../sources/types.js';
import type { IndexEntry, ItemText, NewItem } from '../store/store.js';
import { toNewItems } from './to-new-item.js';

export interface MakeItemsInput {
  entries: FeedEntry[];
  /** Lines the source signs its articles with (its own title). */
  signatures: string[];
  /** Article pages fetched for excerpt-only feeds, by entry key: their text replaces the excerpt. */
  pages?: Record<string, string>;
}

/** Decodes and parses a fetched body: a feed, a page announcing feeds, or a refusal. */
export function parseDocument(input: DocumentInput): ParsedDocument {
  return parseDocumentBody(input);
}

/**
 * Turns new entries into stored items: headline, restored words, summary, picture (the feed's, else
 * the article page's og:image), title hash, normalised search text.
 */
export function makeItems(input: MakeItemsInput): NewItem[] {
  const { pages } = input;
  const entries = pages ? input.entries.map((entry) => withPageText(entry, pages[entry.key])) : input.entries;
  return toNewItems(entries, { signatures: input.signatures });
}

export interface MakeIndexTokensInput {
  items: ItemText[];
  /** Each source's signature lines (learned ones and its title), by source id: kept out of the index. */
  signatures: Record<number, string[]>;
}

/**
 * The index tokens of stored items, for a rebuild: the headline, and the kept body text with today's
 * boilerplate rules and signatures applied again. An item stored before body text was kept is
 * indexed from its headline only.
 */
export function makeIndexTokens(input: MakeIndexTokensInput): IndexEntry[] {
  return input.items.map((item) => {
    const signatures = input.signatures[item.sourceId] ?? [];
    const body = item.bodyText ? indexTokens(stripBoilerplate(item.bodyText, { signatures })) : '';
    return { id: item.id, title: indexTokens(item.headline), body };
  });
}

/** The lines a source repeats across its items (its signature), from their kept texts. */
export function learnSignatures(bodies: string[]): string[] {
  return learnRepeatedLines(bodies);
}

/**
 * The entry with its page's article text as body, when the page has more to say than the excerpt,
 * and the page's picture (og:image) when the feed gave none. The title (and so the headline) stays
 * the feed's own.
 */
function withPageText(entry: FeedEntry, page: string | undefined): FeedEntry {
  if (page === undefined || entry.link === null) return entry;
  const article = extractArticleText(page, entry.link);
  if (!article) return entry;
  const imageUrl = entry.imageUrl ?? article.imageUrl;
  if (article.text.length <= (entry.html?.length ?? 0)) return { ...entry, imageUrl };
  return { ...entry, html: escapeHtml(article.text), imageUrl };
}
