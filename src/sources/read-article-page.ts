import { decodeBody } from './decode-body.js';
import type { Fetcher } from './fetch-url.js';
import { articleLimits } from './extract-article.js';
import { parseSourceUrl } from './source-url.js';
import { SourceError } from './types.js';

const htmlType = /^\s*(?:text\/html|application\/xhtml\+xml)\b/i;

/**
 * Reads an article's web page as text, for feeds that carry only an excerpt: the same guarded
 * fetcher as feeds (private addresses refused, size and time bounded), HTML only, cut to what
 * extraction reads. The text goes to extractArticleText on a worker thread, which returns the
 * article's text and the page's og:image.
 * @throws SourceError when the page cannot be read or is not HTML.
 */
export async function readArticlePage(fetcher: Fetcher, url: string): Promise<string> {
  const fetched = await fetcher.fetchUrl(parseSourceUrl(url).href);
  if (fetched.notModified) throw new SourceError('http_status', 'unexpected 304', { url, status: 304 });
  if (fetched.contentType !== null && !htmlType.test(fetched.contentType)) {
    throw new SourceError('not_a_feed', `not a web page: ${fetched.contentType.slice(0, 100)}`, { url });
  }
  const html = decodeBody(fetched.body, fetched.contentType);
  return html.length > articleLimits.htmlChars ? html.slice(0, articleLimits.htmlChars) : html;
}
