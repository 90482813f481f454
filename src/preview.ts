/**
 * `npm run preview -- <url>`: prints the posts nashra would make from a source, oldest first, exactly
 * as they would be sent (Telegram HTML), with no token and no database. An entry point: it only wires
 * sources/ (read the URL, finding the feed when it is a page), the text rules and the post format.
 */
import { ConfigError, createPreviewConfig, loadDotEnv } from './config.js';
import { formatPost } from './delivery/format-post.js';
import { toNewItems } from './pipeline/to-new-item.js';
import { createFetcher, readSource } from './sources/index.js';
import { SourceError } from './sources/types.js';

function fail(message: string): never {
  process.stderr.write(`nashra preview: ${message}\n`);
  process.exit(1);
}

const url = process.argv.slice(2).find((arg) => arg !== '--');
if (!url) fail('usage: npm run preview -- <feed or site URL>');

loadDotEnv();
let config;
try {
  config = createPreviewConfig();
} catch (err) {
  fail(err instanceof ConfigError ? err.message : String(err));
}

const fetcher = createFetcher({
  userAgent: `nashra/${config.version} (Telegram news bot; preview)`,
  allowHosts: config.fetchAllowHosts,
});
try {
  const reading = await readSource(fetcher, url, { discover: true });
  if (reading.notModified) fail(`${url}: the server answered "not modified" to an unconditional request`);
  const { feed } = reading;
  const items = toNewItems(feed.entries, { signatures: feed.title ? [feed.title] : [] });
  const lines = [
    `${feed.title ?? '(untitled)'} — ${reading.feedUrl} (${feed.format}, ${items.length} posts${
      feed.droppedEntries > 0 ? `, ${feed.droppedEntries} entries over the cap dropped` : ''
    })`,
    // Each post as a chat in the default style gets it (headline and link; /manage offers the others).
    ...items.map((item) => `\n${formatPost({ headline: item.headline, link: item.link })}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} catch (err) {
  if (err instanceof SourceError) fail(`${url}: ${err.message} (${err.code})`);
  fail(`${url}: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await fetcher.close();
}
