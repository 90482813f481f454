import type { ChatSettings, ItemToRecord, NewItem, PlannedDelivery, SourceSubscriber } from '../store/store.js';
import { indexTokens, queryTerm, searchTokens, type QueryTerm } from '../text/index.js';

/**
 * Daily digests go out at 05:00 UTC: 08:00 in Riyadh, Baghdad and Damascus, 07:00 in Cairo
 * (winter), 09:00 in Dubai — the morning across the Arab world, nashra's first readers.
 */
export const dailyDigestHourUtc = 5;

/** The window a chat's burst limit counts posts over. */
export const burstWindowMs = 60 * 60_000;

/** When the period (`hour` or `day`) containing `now` ends: the time its digest is due. */
export type PeriodEnd = (period: 'hour' | 'day', now: Date) => Date;

/** The next full hour (UTC) after `now`, or the next {@link dailyDigestHourUtc}:00 UTC. */
export const periodEnd: PeriodEnd = (period, now) => {
  const end = new Date(now.getTime());
  end.setUTCMinutes(0, 0, 0);
  if (period === 'hour') {
    end.setUTCHours(end.getUTCHours() + 1);
    return end;
  }
  end.setUTCHours(dailyDigestHourUtc);
  if (end.getTime() <= now.getTime()) end.setUTCDate(end.getUTCDate() + 1);
  return end;
};

/** At most this many words of one filter entry are matched (as in a search). */
const maxPhraseWords = 12;

/** One filter entry as the index sees it: a word, or a phrase of several consecutive words. */
type FilterEntry = { kind: 'word'; term: QueryTerm } | { kind: 'phrase'; tokens: string[] };

interface CompiledFilter {
  include: FilterEntry[];
  exclude: FilterEntry[];
}

/**
 * A filter's words through text/'s own rules, as a search looks them up: each word normalised
 * (broken words restored, letters folded), matching an item's token equal to it or to its stem, or
 * starting with it (four letters or more); a phrase's words consecutive, counting the other forms
 * the index keeps after each word. An entry that normalises to nothing (`؟`) is left out.
 */
function compileEntry(raw: string): FilterEntry | null {
  const terms = searchTokens(raw)
    .map((token) => queryTerm(token))
    .filter((term): term is QueryTerm => term !== null)
    .slice(0, maxPhraseWords);
  if (terms.length === 0) return null;
  if (terms.length === 1) return { kind: 'word', term: terms[0]! };
  const tokens: string[] = [];
  terms.forEach((term, index) => {
    if (index === terms.length - 1) tokens.push(term.surface);
    else tokens.push(...indexTokens(term.surface).split(' ').filter((token) => token !== ''));
  });
  return { kind: 'phrase', tokens };
}

/** Entries by the words a user typed: many chats share words, and every poll plans again. */
const entriesByWord = new Map<string, FilterEntry | null>();
const maxCachedWords = 10_000;

function cachedEntry(raw: string): FilterEntry | null {
  let entry = entriesByWord.get(raw);
  if (entry === undefined) {
    entry = compileEntry(raw);
    if (entriesByWord.size >= maxCachedWords) entriesByWord.clear();
    entriesByWord.set(raw, entry);
  }
  return entry;
}

// The store hands out the same settings object while a chat's settings are unchanged.
const filtersBySettings = new WeakMap<ChatSettings, CompiledFilter>();

function compileFilter(settings: ChatSettings): CompiledFilter {
  let filter = filtersBySettings.get(settings);
  if (!filter) {
    const compile = (words: readonly string[]) => words.map(cachedEntry).filter((entry): entry is FilterEntry => entry !== null);
    filter = { include: compile(settings.includeWords), exclude: compile(settings.excludeWords) };
    filtersBySettings.set(settings, filter);
  }
  return filter;
}

/** One column of an item's index tokens, with the lookups a filter needs, built on first use. */
class TokenColumn {
  private sortedTokens: string[] | null = null;
  private exactTokens: Set<string> | null = null;
  private positions: Map<string, number[]> | null = null;

  constructor(private readonly tokens: readonly string[]) {}

  private get sorted(): string[] {
    this.sortedTokens ??= [...new Set(this.tokens)].sort();
    return this.sortedTokens;
  }

  has(token: string): boolean {
    this.exactTokens ??= new Set(this.tokens);
    return this.exactTokens.has(token);
  }

  /** Whether a token starts with `prefix` (binary search in the sorted tokens). */
  hasPrefix(prefix: string): boolean {
    const sorted = this.sorted;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sorted[middle]! < prefix) low = middle + 1;
      else high = middle;
    }
    return low < sorted.length && sorted[low]!.startsWith(prefix);
  }

  /** Whether a token is the word, or its stem, or (four letters or more) starts with the word. */
  hasTerm({ surface, stem, prefix }: QueryTerm): boolean {
    return this.has(surface) || (stem !== '' && this.has(stem)) || (prefix && this.hasPrefix(surface));
  }

  /** Whether `sequence` occurs as consecutive tokens. */
  hasSequence(sequence: readonly string[]): boolean {
    if (!this.positions) {
      this.positions = new Map();
      this.tokens.forEach((token, at) => {
        const list = this.positions!.get(token);
        if (list) list.push(at);
        else this.positions!.set(token, [at]);
      });
    }
    for (const start of this.positions.get(sequence[0]!) ?? []) {
      let k = 1;
      while (k < sequence.length && this.tokens[start + k] === sequence[k]) k += 1;
      if (k === sequence.length) return true;
    }
    return false;
  }
}

/** An item's title and body tokens (NewItem.searchTitle / searchBody, text/'s indexTokens). */
class ItemTokens {
  private readonly columns: TokenColumn[];
  /** Entries already matched against this item: chats that share a word share the answer. */
  private readonly answers = new Map<FilterEntry, boolean>();

  constructor(item: Pick<NewItem, 'searchTitle' | 'searchBody'>) {
    const split = (text: string) => (text === '' ? [] : text.split(' ').filter((token) => token !== ''));
    this.columns = [new TokenColumn(split(item.searchTitle)), new TokenColumn(split(item.searchBody))];
  }

  matches(entry: FilterEntry): boolean {
    let answer = this.answers.get(entry);
    if (answer === undefined) {
      answer = false;
      for (const column of this.columns) {
        if (entry.kind === 'phrase' ? column.hasSequence(entry.tokens) : column.hasTerm(entry.term)) {
          answer = true;
          break;
        }
      }
      this.answers.set(entry, answer);
    }
    return answer;
  }
}

function passes(filter: CompiledFilter, item: ItemTokens): boolean {
  if (filter.include.length > 0 && !filter.include.some((entry) => item.matches(entry))) return false;
  return !filter.exclude.some((entry) => item.matches(entry));
}

export interface PlanInput {
  /** The items to post, oldest first (the newest of a poll, at most its post limit). */
  items: readonly NewItem[];
  /** Who receives the source (store.listSourceSubscribers). */
  subscribers: readonly SourceSubscriber[];
  /** Posts queued for each chat in the last {@link burstWindowMs} (store.countRecentPosts); absent: none. */
  recentPosts: ReadonlyMap<number, number>;
  now: Date;
  /** When a digest period ends (default {@link periodEnd}; tests make it seconds away). */
  periodEnd?: PeriodEnd;
}

/**
 * Which chats receive each item, and how (issue 13 §2), as a plain function:
 * - a chat's keyword filters, matched on the item's index tokens (so they see through broken words
 *   and match inflected forms, as a search does): with include words, at least one must match; an
 *   exclude word that matches keeps the item out;
 * - a digest chat (hourly, daily) gets a digest row due at the end of the period;
 * - any other chat gets a post now, unless its posts in the last hour plus this poll's would pass
 *   its burst limit: the excess (the newest items) becomes digest rows due at the end of the hour.
 * Returns the items with their planned deliveries, in the same order.
 */
export function planDeliveries(input: PlanInput): ItemToRecord[] {
  const end = input.periodEnd ?? periodEnd;
  const { now } = input;
  const hourEnd = end('hour', now);
  const dayEnd = end('day', now);
  const postsNow = new Map<number, number>();
  return input.items.map((item) => {
    const tokens = new ItemTokens(item);
    const deliveries: PlannedDelivery[] = [];
    for (const { chatId, threadId, settings } of input.subscribers) {
      const filter = compileFilter(settings);
      if ((filter.include.length > 0 || filter.exclude.length > 0) && !passes(filter, tokens)) continue;
      if (settings.digest !== 'off') {
        deliveries.push({ chatId, threadId, notBefore: settings.digest === 'hourly' ? hourEnd : dayEnd, digest: true });
        continue;
      }
      const queued = (input.recentPosts.get(chatId) ?? 0) + (postsNow.get(chatId) ?? 0);
      if (queued >= settings.burstLimit) {
        deliveries.push({ chatId, threadId, notBefore: hourEnd, digest: true });
        continue;
      }
      postsNow.set(chatId, (postsNow.get(chatId) ?? 0) + 1);
      deliveries.push({ chatId, threadId, notBefore: now, digest: false });
    }
    return { ...item, deliveries };
  });
}
