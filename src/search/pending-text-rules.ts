/**
 * TEMPORARY bridge to engineer E's text/ contract (textRulesVersion, indexTokens, queryTerm,
 * learnSignatures, cleanDisplayText) until it lands; then every import switches to ../text/index.js.
 */
import { normalizeForSearch, searchTokens } from '../text/index.js';

export const textRulesVersion = 2;

export function indexTokens(text: string): string {
  return normalizeForSearch(text);
}

export function queryTerm(word: string): { surface: string; stem: string; prefix: boolean } | null {
  const [surface] = searchTokens(word);
  if (!surface) return null;
  return { surface, stem: surface, prefix: [...surface].length >= 4 };
}

export function learnSignatures(bodies: string[]): string[] {
  if (bodies.length < 5) return [];
  const counts = new Map<string, number>();
  for (const body of bodies) {
    for (const line of new Set(body.split('\n').map((l) => l.trim()))) {
      if (line && line.length <= 120) counts.set(line, (counts.get(line) ?? 0) + 1);
    }
  }
  return [...counts].filter(([, n]) => n * 2 >= bodies.length).map(([line]) => line);
}

export function cleanDisplayText(text: string): string {
  return text.replace(/[\p{Cf}\p{Cc}]/gu, '');
}
