import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { firstImageUrl } from './entry-image.js';
import { limits } from './types.js';

/** Caps on article extraction: the page is untrusted, and the whole of it is parsed into a DOM. */
export const articleLimits = {
  /** Characters of HTML parsed; the rest of the page is cut off before parsing. */
  htmlChars: 2 * 1024 * 1024,
  /** Characters of extracted text kept (the same cap as an entry's body). */
  textChars: limits.entryHtmlChars,
  /**
   * Elements and nesting depth beyond which a page is not handed to Readability: its scoring walks
   * ancestors and retries, and took 1.4 s at depth 500 and 3 s on 15,000 small elements, growing
   * faster than linearly. News article pages stay far below both.
   */
  /** Less text than this is a page's chrome (a menu, a login form), not an article. */
  minTextChars: 100,
  elements: 8_000,
  depth: 120,
  /**
   * `<` and `&` in the markup. linkedom's parse grows faster than linearly with deep nesting and with
   * many text pieces (1 MB of `<` took 2.5 s, 100,000 nested `<div>` 7.6 s), so a page with more is
   * refused before parsing. A news article page has a few thousand of each.
   */
  angleBrackets: 30_000,
  ampersands: 30_000,
} as const;

/** The article a page carries, as plain text. */
export interface ExtractedArticle {
  /** The article's title as Readability sees it (at most {@link limits}.titleChars characters). */
  title: string | null;
  /** The article's text, one paragraph per line, without the page's navigation, scripts or footer. */
  text: string;
  /**
   * The picture the page announces for sharing (`og:image`, else `twitter:image`): an absolute http(s)
   * URL of at most {@link limits}.linkChars characters, resolved against the page's address.
   */
  imageUrl: string | null;
}

// Where a page names its sharing picture, best first: Open Graph (`property`, or `name` as some
// pages write it), then Twitter's card.
const imageMetaNames = ['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src'];

/** The page's sharing picture, from its `<meta>` tags (read once, before Readability changes the tree). */
function pageImageUrl(document: Document, url: string): string | null {
  const byName = new Map<string, string>();
  for (const meta of document.querySelectorAll('meta')) {
    const name = (meta.getAttribute('property') ?? meta.getAttribute('name') ?? '').trim().toLowerCase();
    const content = meta.getAttribute('content');
    if (content !== null && imageMetaNames.includes(name) && !byName.has(name)) byName.set(name, content);
  }
  return firstImageUrl(imageMetaNames.map((name) => byName.get(name)), url);
}

// Elements whose content is never article text; removed before Readability scores the page.
const nonContent = 'script, style, noscript, template, iframe, object, embed, svg';

/**
 * Extracts an article's text from its web page with Mozilla's Readability on a linkedom DOM, for
 * feeds that carry only an excerpt, with the picture the page announces (`og:image`). Pure and
 * synchronous (no I/O), so it can run on a worker thread. Returns null when the page holds no
 * article Readability recognises.
 *
 * @param html the page as fetched; only the first {@link articleLimits}.htmlChars characters are read
 * @param url the page's address, which Readability uses to resolve relative links
 */
export function extractArticleText(html: string, url: string): ExtractedArticle | null {
  const bounded = html.length > articleLimits.htmlChars ? html.slice(0, articleLimits.htmlChars) : html;
  if (countOf(bounded, '<') > articleLimits.angleBrackets || countOf(bounded, '&') > articleLimits.ampersands) return null;
  // linkedom builds no <html>/<body> for a fragment, and Readability needs them.
  const page = /<html[\s>]/i.test(bounded) ? bounded : `<!doctype html><html><body>${bounded}</body></html>`;
  let document: Document;
  try {
    ({ document } = parseHTML(page) as unknown as { document: Document });
  } catch {
    return null;
  }
  if (!document.documentElement) return null;
  for (const element of [...document.querySelectorAll(nonContent)]) element.remove();
  if (exceedsShape(document.documentElement)) return null;
  setDocumentUrl(document, url);
  const imageUrl = pageImageUrl(document, url);

  let article: ReturnType<Readability<string>['parse']>;
  try {
    article = new Readability(document, { charThreshold: 100, maxElemsToParse: articleLimits.elements }).parse();
  } catch {
    // Readability throws past maxElemsToParse; anything else is a page it cannot read either.
    return null;
  }
  if (!article) return null;
  const text = paragraphsOf(article.content ?? '', article.textContent ?? '');
  if (text.length < articleLimits.minTextChars) return null;
  const title = article.title?.replace(/\s+/g, ' ').trim().slice(0, limits.titleChars) || null;
  return { title, text: text.slice(0, articleLimits.textChars), imageUrl };
}

function countOf(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) count++;
  return count;
}

/** Whether the tree is deeper or larger than Readability should be given (one walk, no recursion). */
function exceedsShape(root: Element): boolean {
  const stack: Array<[Element, number]> = [[root, 1]];
  let count = 0;
  while (stack.length > 0) {
    const [element, depth] = stack.pop()!;
    if (++count > articleLimits.elements || depth > articleLimits.depth) return true;
    // Sibling links, not `children`: linkedom's `children` walks the whole subtree each time.
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) stack.push([child, depth + 1]);
  }
  return false;
}

/** Readability resolves relative links against the document's URL; linkedom leaves it unset. */
function setDocumentUrl(document: Document, url: string): void {
  try {
    Object.defineProperty(document, 'documentURI', { value: url, configurable: true });
    Object.defineProperty(document, 'baseURI', { value: url, configurable: true });
  } catch {
    // Not settable in this DOM: links stay relative, the text is the same.
  }
}

// Blocks after which a paragraph ends; their text is joined with a line break.
const blockElements = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, td, th, dt, dd';

/**
 * The article's text, one block per line. `textContent` runs paragraphs together without a break,
 * so the blocks of Readability's cleaned HTML are read one by one instead (falling back to
 * `textContent` when it has none).
 */
function paragraphsOf(contentHtml: string, textContent: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${contentHtml}</body></html>`) as unknown as {
    document: Document;
  };
  const blocks = [...document.querySelectorAll(blockElements)]
    // A block inside another block (a <p> in a <blockquote>) would be read twice.
    .filter((block) => block.querySelector(blockElements) === null)
    .map((block) => collapseSpaces(block.textContent ?? ''))
    .filter((line) => line !== '');
  if (blocks.length > 0) return blocks.join('\n');
  return textContent
    .split('\n')
    .map(collapseSpaces)
    .filter((line) => line !== '')
    .join('\n');
}

function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
