import { phraseTokens } from '../phrase-tokens.js';
import type { IndexQuery, IndexTerm } from '../store.js';

/** One string for FTS5: quoted, a quote inside doubled, so nothing in it is ever read as syntax. */
function quoted(token: string): string {
  return `"${token.replaceAll('"', '""')}"`;
}

/** A term's alternatives: its surface form (as a prefix when allowed), and its stem when different. */
function termExpression(term: IndexTerm): string {
  const forms = [term.prefix ? `${quoted(term.surface)}*` : quoted(term.surface)];
  const stemCovered = term.stem === term.surface || (term.prefix && term.stem.startsWith(term.surface));
  if (term.stem !== '' && !stemCovered) forms.push(quoted(term.stem));
  return forms.length === 1 ? forms[0]! : `(${forms.join(' OR ')})`;
}

/** A phrase as the index holds it (see phraseTokens). */
function phraseExpression(words: IndexTerm[]): string {
  if (words.length === 1) return termExpression(words[0]!);
  return quoted(phraseTokens(words).join(' '));
}

/**
 * The FTS5 MATCH expression for a query's words: every term and phrase must match, and nothing
 * excluded may. Returns null when nothing positive is asked for (FTS5 cannot answer "NOT x" alone);
 * `excluded` then comes back as its own expression, for the caller to leave those rows out.
 */
export function toFts5Match(query: Pick<IndexQuery, 'terms' | 'phrases' | 'excluded'>): { match: string | null; excluded: string | null } {
  const positive = [
    ...query.terms.filter((term) => term.surface !== '').map(termExpression),
    ...query.phrases.filter((phrase) => phrase.length > 0).map(phraseExpression),
  ];
  const negative = query.excluded.filter((phrase) => phrase.length > 0).map(phraseExpression);
  const excluded = negative.length === 0 ? null : negative.join(' OR ');
  if (positive.length === 0) return { match: null, excluded };
  const match = positive.map((part) => `(${part})`).join(' AND ');
  return { match: excluded === null ? match : `(${match}) NOT (${excluded})`, excluded: null };
}
