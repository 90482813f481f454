import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The seed article: a real Arabic news page whose words were broken with tatweel to evade
 * filters, with its skip link, "read also" line and blog signature. Read from the repository's
 * own fixture copy so tests never depend on anything outside the clone.
 */
export const seedArticle = readFileSync(
  path.join(repoRoot, 'tests', 'fixtures', 'seed-article.txt'),
  'utf8',
);

/** The seed's title line, broken word included. */
export const seedTitle =
  'روسيا تدّعي سحب ميليشياتها من جنوب شرق إدلب وتقر بخـ.سائرها “بيان من الدفاع”';
