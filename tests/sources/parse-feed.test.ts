import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseFeedDocument } from '../../src/sources/parse-feed.js';
import { imageScanChars } from '../../src/sources/entry-image.js';
import { limits, SourceError } from '../../src/sources/types.js';
import { readFeedFixture } from './local-http-server.js';

const fixture = (name: string): string => readFeedFixture(name).toString('utf8');

function notAFeed(document: string): SourceError {
  try {
    parseFeedDocument(document, 'https://site.example/feed');
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('not_a_feed');
    return err as SourceError;
  }
  throw new Error('expected parseFeedDocument to refuse the document');
}

describe('parseFeedDocument', () => {
  it('reads an Arabic RSS 2.0 feed', () => {
    const feed = parseFeedDocument(fixture('rss-arabic.xml'), 'https://news.example/rss');
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('أخبار اليوم');
    expect(feed.siteUrl).toBe('https://news.example/');
    expect(feed.entries[0]).toEqual({
      key: 'news-1',
      title: 'انطلاق معرض الكتاب في الرياض',
      link: 'https://news.example/articles/1',
      html: '<p>افتتح <b>معرض الكتاب</b> أبوابه اليوم.</p>',
      publishedAt: '2025-03-04T06:30:00.000Z',
      imageUrl: null,
    });
  });

  it('decodes entities exactly once', () => {
    const [, second] = parseFeedDocument(fixture('rss-arabic.xml'), 'https://news.example/rss').entries;
    expect(second?.title).toBe('Markets &amp; prices');
    expect(second?.html).toBe('<p>Oil &amp; gas</p>');
  });

  it('resolves relative links against the feed URL and reads dc:date', () => {
    const [, second] = parseFeedDocument(fixture('rss-arabic.xml'), 'https://news.example/rss').entries;
    expect(second?.link).toBe('https://news.example/articles/2?from=rss&lang=ar');
    expect(second?.publishedAt).toBe('2025-03-04T06:00:00.000Z');
  });

  it('keys every entry of a repeated guid by guid and link, whatever their order', () => {
    const feed = parseFeedDocument(fixture('rss-tricky.xml'), 'https://tricky.example/feeds/main.xml');
    const [first, second] = feed.entries;
    expect(first?.key).toBe('same-guid https://tricky.example/feeds/stories/first.html');
    expect(first?.link).toBe('https://tricky.example/feeds/stories/first.html');
    expect(second?.key).toBe('same-guid https://tricky.example/feeds/stories/second.html');
  });

  it('keys an entry without guid or link by a hash of its title and text', () => {
    const feed = parseFeedDocument(fixture('rss-tricky.xml'), 'https://tricky.example/feeds/main.xml');
    const entry = feed.entries.find((candidate) => candidate.title === 'No guid, no link');
    const hash = createHash('sha256').update('No guid, no link\nOnly words').digest('hex');
    expect(entry?.key).toBe(`h:${hash}`);
    expect(entry?.link).toBeNull();
  });

  it('keys an entry without guid by its link, tolerating bare ampersands', () => {
    const feed = parseFeedDocument(fixture('rss-tricky.xml'), 'https://tricky.example/feeds/main.xml');
    expect(feed.title).toBe('Tricky & sloppy');
    const entry = feed.entries.find((candidate) => candidate.title === 'Link but no guid');
    expect(entry?.key).toBe('https://elsewhere.example/page?a=1&b=2');
  });

  it('tolerates a feed cut off before its closing tags', () => {
    const feed = parseFeedDocument(
      '<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><item><title>Kept</title><guid>k</guid></item>',
      'https://x.example/feed',
    );
    expect(feed.entries.map((entry) => entry.key)).toEqual(['k']);
  });

  it('drops links that are not web links and dates that do not parse', () => {
    const feed = parseFeedDocument(fixture('rss-tricky.xml'), 'https://tricky.example/feeds/main.xml');
    expect(feed.entries.find((entry) => entry.title === 'Script link')?.link).toBeNull();
    expect(feed.entries[0]?.publishedAt).toBeNull();
    expect(feed.entries).toHaveLength(5);
  });

  it('drops an entry repeated identically', () => {
    const item = '<item><title>Same</title><link>https://x.example/1</link><guid>g</guid></item>';
    const feed = parseFeedDocument(
      `<rss version="2.0"><channel><title>T</title>${item}${item}${item}</channel></rss>`,
      'https://x.example/feed',
    );
    expect(feed.entries.map((entry) => entry.key)).toEqual(['g']);
  });

  it('keeps entries sharing guid and link when their content differs, keyed by their content', () => {
    const item = (title: string) => `<item><title>${title}</title><link>https://x.example/1</link><guid>g</guid></item>`;
    const feed = parseFeedDocument(
      `<rss version="2.0"><channel><title>T</title>${item('One')}${item('Two')}${item('Three')}</channel></rss>`,
      'https://x.example/feed',
    );
    const hashOf = (title: string) => createHash('sha256').update(`${title}\n`).digest('hex');
    expect(feed.entries.map((entry) => entry.key)).toEqual(
      ['One', 'Two', 'Three'].map((title) => `g https://x.example/1 h:${hashOf(title)}`),
    );
  });

  it('gives the same keys to the same entries when the feed reorders them', () => {
    const keysOf = (name: string) =>
      new Map(parseFeedDocument(fixture(name), 'https://reorder.example/feed').entries.map((entry) => [entry.title, entry.key]));
    const before = keysOf('reorder-a.xml');
    const after = keysOf('reorder-b.xml');
    expect(before.size).toBe(4);
    expect(after).toEqual(before);
  });

  it('keeps the identity of an entry whose title changes, when it has a guid or a link', () => {
    const keysOf = (name: string) => parseFeedDocument(fixture(name), 'https://edit.example/feed').entries.map((entry) => entry.key);
    expect(keysOf('title-edit-after.xml')).toEqual(keysOf('title-edit-before.xml'));
    expect(keysOf('title-edit-before.xml')).toEqual(['edit-1', 'https://edit.example/2']);
  });

  it('keys by the link without its fragment and utm_* parameters, keeping the link as published', () => {
    const [tracked, plain] = parseFeedDocument(fixture('utm-links.xml'), 'https://utm.example/feed').entries;
    expect(tracked).toMatchObject({
      key: 'https://utm.example/story?id=7',
      link: 'https://utm.example/story?id=7&utm_source=rss&UTM_Medium=feed#section-2',
    });
    expect(plain?.key).toBe('https://utm.example/other?b=2&a=1');
  });

  it('does not invent a link from a guid that is not a web address', () => {
    const [entry] = parseFeedDocument(fixture('title-edit-before.xml'), 'https://edit.example/feed').entries;
    expect(entry).toMatchObject({ key: 'edit-1', link: null });
  });

  it('reads RSS <ttl> as minutes, held to at most a day', () => {
    expect(parseFeedDocument(fixture('rss-ttl.xml'), 'https://slow.example/rss').ttlMinutes).toBe(90);
    expect(parseFeedDocument(fixture('rss-ttl-absurd.xml'), 'https://greedy.example/rss').ttlMinutes).toBe(1440);
    expect(parseFeedDocument(fixture('rss-arabic.xml'), 'https://news.example/rss').ttlMinutes).toBeNull();
  });

  it('reads an Atom feed, preferring the alternate link', () => {
    const feed = parseFeedDocument(fixture('atom.xml'), 'https://atom.example/feed.atom');
    expect(feed).toMatchObject({ format: 'atom', title: 'Atom example', siteUrl: 'https://atom.example/' });
    expect(feed.entries[0]).toEqual({
      key: 'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a',
      title: 'Rates &lt;rise&gt;',
      link: 'https://atom.example/posts/1',
      html: '<p>Full <em>story</em></p>',
      publishedAt: '2025-03-04T06:00:00.000Z',
      imageUrl: null,
    });
  });

  it('falls back to the Atom updated date and escapes a plain-text summary', () => {
    const [, second] = parseFeedDocument(fixture('atom.xml'), 'https://atom.example/feed.atom').entries;
    expect(second).toEqual({
      key: 'tag:atom.example,2025:2',
      title: 'Only updated',
      link: 'https://atom.example/posts/2',
      html: 'Short &amp; plain',
      publishedAt: '2025-03-03T10:00:00.000Z',
      imageUrl: null,
    });
  });

  it('reads an RDF feed, keyed by link', () => {
    const feed = parseFeedDocument(fixture('rdf.xml'), 'https://rdf.example/rss');
    expect(feed).toMatchObject({ format: 'rdf', title: 'RDF example', siteUrl: 'https://rdf.example/' });
    expect(feed.entries).toEqual([
      {
        key: 'https://rdf.example/1',
        title: 'RDF item',
        link: 'https://rdf.example/1',
        html: 'RDF description',
        publishedAt: '2025-03-01T12:00:00.000Z',
        imageUrl: null,
      },
    ]);
  });

  it('reads a JSON Feed, escaping text-only content', () => {
    const feed = parseFeedDocument(fixture('json-feed.json'), 'https://json.example/feed.json');
    expect(feed).toMatchObject({ format: 'json', title: 'JSON example', siteUrl: 'https://json.example/' });
    expect(feed.entries).toEqual([
      {
        key: 'j-1',
        title: 'JSON item',
        link: 'https://json.example/posts/j1',
        html: '<p>HTML body</p>',
        publishedAt: '2025-03-02T08:00:00.000Z',
        imageUrl: null,
      },
      {
        key: 'j-2',
        title: 'Text only',
        link: 'https://json.example/posts/j2',
        html: 'a &lt; b &amp; c',
        publishedAt: '2025-03-02T09:00:00.000Z',
        imageUrl: null,
      },
    ]);
  });

  it('reads a date without a zone as UTC', () => {
    const feed = parseFeedDocument(
      '<rss version="2.0"><channel><title>T</title><item><title>A</title><pubDate>2025-03-04 10:20:30</pubDate></item></channel></rss>',
      'https://x.example/feed',
    );
    expect(feed.entries[0]?.publishedAt).toBe('2025-03-04T10:20:30.000Z');
  });

  it('refuses an HTML page, even one that mentions <rss', () => {
    notAFeed(fixture('page-without-feed-link.html'));
    notAFeed('<!DOCTYPE html>\n<html><body>\n<rss version="2.0"><channel><item><title>x</title></item></channel></rss></body></html>');
  });

  it('refuses JSON that is not a feed, an empty body and a broken document', () => {
    notAFeed('{"status":"ok","data":[1,2,3]}');
    notAFeed('');
    notAFeed('   \n');
    notAFeed('<?xml version="1.0"?><rss version="2.0"><channel><title>1 < 2</title></channel></rss>');
    notAFeed('<rss version="2.0"></rss>');
  });
});

describe('parseFeedDocument caps every untrusted field', () => {
  const rss = (items: string, channelTitle = 'Capped') =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>${channelTitle}</title>${items}</channel></rss>`;

  it('cuts a 1 MB title, the feed’s and an entry’s, to 1,000 characters', () => {
    const huge = 'ع'.repeat(1024 * 1024);
    const started = Date.now();
    const feed = parseFeedDocument(rss(`<item><title>${huge}</title><guid>big</guid></item>`, huge), 'https://cap.example/feed');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(feed.title).toBe('ع'.repeat(limits.titleChars));
    expect(feed.entries[0]?.title).toHaveLength(limits.titleChars);
  });

  it('never cuts a title between the two halves of a surrogate pair', () => {
    const title = `${'a'.repeat(limits.titleChars - 1)}😀 and more`;
    const feed = parseFeedDocument(rss(`<item><title>${title}</title><guid>emoji</guid></item>`), 'https://cap.example/feed');
    expect(feed.entries[0]?.title).toBe('a'.repeat(limits.titleChars - 1));
  });

  it('cuts an entry’s HTML to 512 KB', () => {
    const body = `<p>${'x'.repeat(600 * 1024)}</p>`;
    const feed = parseFeedDocument(rss(`<item><title>t</title><guid>h</guid><description><![CDATA[${body}]]></description></item>`), 'https://cap.example/feed');
    expect(feed.entries[0]?.html).toHaveLength(limits.entryHtmlChars);
    expect(feed.entries[0]?.html?.startsWith('<p>xxx')).toBe(true);
  });

  it('keeps the first 2,000 of 20,000 items and counts the rest as dropped', () => {
    const items = Array.from({ length: 20_000 }, (_, index) => `<item><title>Item ${index}</title><guid>g-${index}</guid></item>`).join('');
    const feed = parseFeedDocument(rss(items), 'https://cap.example/feed');
    expect(feed.entries).toHaveLength(limits.entriesPerFeed);
    expect(feed.droppedEntries).toBe(18_000);
    expect(feed.entries[0]?.key).toBe('g-0');
    expect(feed.entries.at(-1)?.key).toBe('g-1999');
  });

  it('drops a link longer than 2,048 characters instead of cutting it', () => {
    const long = `https://cap.example/${'p'.repeat(limits.linkChars)}`;
    const fits = `https://cap.example/${'p'.repeat(limits.linkChars - 'https://cap.example/'.length)}`;
    const feed = parseFeedDocument(
      rss(`<item><title>long</title><link>${long}</link></item><item><title>fits</title><link>${fits}</link></item>`),
      'https://cap.example/feed',
    );
    expect(feed.entries[0]?.link).toBeNull();
    expect(feed.entries[1]?.link).toBe(fits);
  });

  it('keeps a picture URL of 2,048 characters and passes over a longer one to the next candidate', () => {
    const base = 'https://cap.example/';
    const fits = `${base}${'p'.repeat(limits.linkChars - base.length)}`;
    const long = `${fits}p`;
    const feed = parseFeedDocument(
      rss(
        `<item><title>fits</title><guid>a</guid><enclosure url="${fits}" length="0" type="image/jpeg"/></item>` +
          `<item><title>long</title><guid>b</guid><enclosure url="${long}" length="0" type="image/jpeg"/>` +
          `<description>&lt;img src="/short.jpg"&gt;</description></item>` +
          `<item><title>only long</title><guid>c</guid><enclosure url="${long}" length="0" type="image/jpeg"/></item>`,
      ),
      'https://cap.example/feed',
    );
    expect(feed.entries.map((entry) => entry.imageUrl)).toEqual([fits, 'https://cap.example/short.jpg', null]);
  });

  it('resolves a relative picture against the item’s link, or the feed’s URL when it has none', () => {
    const feed = parseFeedDocument(
      rss(
        '<item><title>a</title><link>https://story.example/a/b.html</link><description>&lt;img src="c.jpg"&gt;</description></item>' +
          '<item><title>b</title><guid>nolink</guid><description>&lt;img src="c.jpg"&gt;</description></item>',
      ),
      'https://cap.example/feeds/main.xml',
    );
    expect(feed.entries.map((entry) => entry.imageUrl)).toEqual(['https://story.example/a/c.jpg', 'https://cap.example/feeds/c.jpg']);
  });

  it('looks for an <img> in the first 64 KB of an entry’s HTML only', () => {
    const padding = `<p>${'x'.repeat(imageScanChars)}</p>`;
    const feed = parseFeedDocument(
      rss(
        `<item><title>early</title><guid>e</guid><description><![CDATA[<img src="/early.jpg">${padding}]]></description></item>` +
          `<item><title>late</title><guid>l</guid><description><![CDATA[${padding}<img src="/late.jpg">]]></description></item>`,
      ),
      'https://cap.example/feed',
    );
    expect(feed.entries.map((entry) => entry.imageUrl)).toEqual(['https://cap.example/early.jpg', null]);
  });

  it.each([
    ['"<img " never closed', '<img ', ''],
    ['"<img src=" with quotes never closed, one ">" at the end', '<img src=" ', '>'],
    ['tags of attribute quotes left open', `<img a=" b=' src >`, ''],
    ['images without src', '<img alt="x">', ''],
  ])('scans 512 KB of %s in linear time, finding no picture', (_, unit, suffix) => {
    const html = unit.repeat(Math.floor((limits.entryHtmlChars - 20) / unit.length)) + suffix;
    const started = Date.now();
    const feed = parseFeedDocument(rss(`<item><title>t</title><guid>h</guid><description><![CDATA[${html}]]></description></item>`), 'https://cap.example/feed');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(feed.entries[0]?.imageUrl).toBeNull();
  });

  it('replaces a key longer than 1,024 characters by a stable hash of it', () => {
    const guid = 'g'.repeat(5_000);
    const read = () => parseFeedDocument(rss(`<item><title>t</title><guid isPermaLink="false">${guid}</guid></item>`), 'https://cap.example/feed');
    const key = read().entries[0]?.key;
    expect(key).toBe(`k:${createHash('sha256').update(guid).digest('hex')}`);
    expect(read().entries[0]?.key).toBe(key);
  });

  it('reads thousands of ordinary escaped characters as text', () => {
    const escaped = '&lt;b&gt; &amp; '.repeat(5_000);
    const feed = parseFeedDocument(rss(`<item><title>t</title><guid>e</guid><description>${escaped}</description></item>`), 'https://cap.example/feed');
    expect(feed.entries[0]?.html).toBe('<b> & '.repeat(5_000).trim());
  });
});
