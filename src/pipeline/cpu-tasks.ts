/**
 * The CPU-heavy steps of a poll as pure functions (plain data in, plain data out, no I/O), so they
 * can run on a worker thread (see cpu-pool.ts) and a test can call them in-process.
 */
import { parseDocument as parseDocumentBody } from '../sources/parse-document.js';
import type { DocumentInput, FeedEntry, ParsedDocument } from '../sources/types.js';
import type { NewItem } from '../store/store.js';
import { toNewItems } from './to-new-item.js';

export interface MakeItemsInput {
  entries: FeedEntry[];
  /** Lines the source signs its articles with (its own title). */
  signatures: string[];
}

/** Decodes and parses a fetched body: a feed, a page announcing feeds, or a refusal. */
export function parseDocument(input: DocumentInput): ParsedDocument {
  return parseDocumentBody(input);
}

/** Turns new entries into stored items: headline, restored words, normalised search text. */
export function makeItems(input: MakeItemsInput): NewItem[] {
  return toNewItems(input.entries, { signatures: input.signatures });
}
