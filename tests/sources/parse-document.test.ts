import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/sources/parse-document.js';
import type { FeedEntry, ParsedDocument, ParsedFeed, SourceErrorCode } from '../../src/sources/types.js';
import { readFeedFixture } from './local-http-server.js';

const url = 'https://f.example/feed';

function parseFixture(name: string, contentType: string | null = null): ParsedDocument {
  return parseDocument({ body: readFeedFixture(name), contentType, url });
}

const hashKey = (title: string, html: string) => `h:${createHash('sha256').update(`${title}\n${html}`).digest('hex')}`;

/** What a fixture must turn into: a feed (its format, title and entries, in part), a page, or a refusal. */
type Expected =
  | { feed: Partial<ParsedFeed> & { format: ParsedFeed['format'] }; entries?: Array<Partial<FeedEntry>> }
  | { page: string[] }
  | { refused: SourceErrorCode };

interface Row {
  contentType?: string;
  expected: Expected;
}

/** Every fixture in tests/fixtures/feeds/ and what parseDocument must say about it. */
const fixtures: Record<string, Row> = {
  // The formats.
  'rss-arabic.xml': {
    expected: {
      feed: { format: 'rss', title: 'أخبار اليوم', ttlMinutes: null, droppedEntries: 0 },
      entries: [{ key: 'news-1', title: 'انطلاق معرض الكتاب في الرياض' }, { key: 'news-2', title: 'Markets &amp; prices' }],
    },
  },
  'rss-091.xml': {
    // The Netscape DTD is an external reference with no internal subset: read, never fetched.
    expected: {
      feed: { format: 'rss', title: 'Netscape-era news' },
      entries: [
        {
          key: 'https://old.example/stories/cafe.html',
          title: 'Café opens downtown',
          link: 'https://old.example/stories/cafe.html',
          publishedAt: null,
        },
        { key: 'https://old.example/stories/council.html', title: 'Council meets' },
      ],
    },
  },
  'rss-092.xml': {
    expected: {
      feed: { format: 'rss', title: 'نشرة 0.92' },
      entries: [
        { key: 'https://old92.example/1', title: 'عنوان الخبر الأول', html: '<p>نص الخبر الأول</p>' },
        { key: hashKey('', 'خبر بلا عنوان ولا رابط، نصه فقط.'), title: null, link: null },
        { key: 'https://old92.example/3', html: null },
      ],
    },
  },
  'rss-ttl.xml': {
    expected: {
      feed: { format: 'rss', title: 'Slow feed', ttlMinutes: 90 },
      entries: [{ key: 'https://slow.example/digest/1', publishedAt: '2025-03-03T05:00:00.000Z' }],
    },
  },
  // A year-long ttl would silence the source; it is held to a day.
  'rss-ttl-absurd.xml': { expected: { feed: { format: 'rss', ttlMinutes: 24 * 60 } } },
  'rss-dc-only.xml': {
    expected: {
      feed: { format: 'rss', title: 'Dublin Core only' },
      entries: [{ key: 'dc-1', title: 'Title from dc:title', link: null, publishedAt: '2025-03-04T02:06:07.000Z' }],
    },
  },
  'rss-no-items.xml': { expected: { feed: { format: 'rss', title: 'Quiet feed', entries: [], droppedEntries: 0 } } },
  'rss-tricky.xml': { expected: { feed: { format: 'rss', title: 'Tricky & sloppy' } } },
  'rdf.xml': { expected: { feed: { format: 'rdf', title: 'RDF example' }, entries: [{ key: 'https://rdf.example/1' }] } },
  'rdf-dc-date.xml': {
    expected: {
      feed: { format: 'rdf', title: 'Slashy RDF', siteUrl: 'https://slashy.example/' },
      entries: [
        {
          key: 'https://slashy.example/story/1',
          title: 'Kernel released',
          html: '<p>The <b>kernel</b> is out.</p>',
          publishedAt: '2025-02-28T21:30:00.000Z',
        },
        {
          key: 'https://slashy.example/story/2',
          title: 'Only a Dublin Core title',
          link: 'https://slashy.example/story/2',
          publishedAt: '2025-03-01T00:00:00.000Z',
        },
      ],
    },
  },
  'atom.xml': { expected: { feed: { format: 'atom', title: 'Atom example' } } },
  'atom-xhtml.xml': {
    expected: {
      feed: { format: 'atom', title: 'XHTML Atom', siteUrl: 'https://xhtml.example/' },
      entries: [
        {
          key: 'tag:xhtml.example,2025:1',
          title: 'Rates <b>up</b>',
          link: 'https://f.example/posts/1',
          html: '<p>Markets <em>rose</em> today.</p>',
          publishedAt: '2025-03-05T08:00:00.000Z',
        },
      ],
    },
  },
  'json-feed.json': { expected: { feed: { format: 'json', title: 'JSON example' } } },
  'json-feed-1.0.json': {
    expected: {
      feed: { format: 'json', title: 'JSON Feed one' },
      entries: [
        { key: '101', title: 'Numeric id item', publishedAt: '2025-03-01T15:00:00.000Z' },
        { key: '102', title: null, link: 'https://elsewhere.example/story', html: 'Only a summary, 3 &lt; 4' },
      ],
    },
  },
  'json-feed-1.1.json': {
    expected: {
      feed: { format: 'json', title: 'صحيفة JSON', siteUrl: 'https://jf11.example/' },
      entries: [
        { key: 'https://jf11.example/a/1', html: 'نص عادي فيه &lt;وسم&gt; لا يُقرأ كوسم', publishedAt: '2025-03-02T04:00:00.000Z' },
        { key: 'https://jf11.example/a/2', html: '<p>نص <b>منسق</b></p>', publishedAt: null },
      ],
    },
  },
  'wordpress-posts.json': {
    contentType: 'application/json; charset=UTF-8',
    expected: {
      feed: { format: 'wordpress', title: null, siteUrl: 'https://f.example/' },
      entries: [
        {
          key: '4711',
          title: 'Hello &#8220;world&#8221; &amp; friends',
          link: 'https://wp.example/2025/03/first-post/',
          html: '<p>Full text of the first post.</p>',
          publishedAt: '2025-03-04T09:00:00.000Z',
        },
        { key: '4710', title: 'مقالة ثانية', html: '<p>مقتطف فقط</p>', publishedAt: '2025-03-03T21:15:00.000Z' },
      ],
    },
  },

  // Pictures: every place a format puts one, in the order they are preferred.
  'rss-media-images.xml': {
    expected: {
      feed: { format: 'rss', title: 'صور الأخبار' },
      entries: [
        { key: 'img-1', imageUrl: 'https://pics.example/photos/1.jpg' },
        { key: 'img-2', imageUrl: 'https://pics.example/news/photos/2.jpg?w=800&h=600' },
        { key: 'img-3', imageUrl: 'https://pics.example/videos/3.jpg' },
        { key: 'img-4', imageUrl: 'https://pics.example/photos/4.png' },
        { key: 'img-5', imageUrl: 'https://pics.example/uploads/5.jpg?a=1&b=2' },
        { key: 'img-6', imageUrl: null },
        { key: 'img-7', imageUrl: 'https://cdn.example/7.webp?quality=80' },
        { key: 'img-8', imageUrl: null },
      ],
    },
  },
  'atom-media-images.xml': {
    expected: {
      feed: { format: 'atom', title: 'Atom pictures' },
      entries: [
        { key: 'tag:atompics.example,2025:1', imageUrl: 'https://atompics.example/media/one.jpg' },
        { key: 'tag:atompics.example,2025:2', imageUrl: 'https://atompics.example/thumbs/two.jpg' },
        { key: 'tag:atompics.example,2025:3', imageUrl: 'https://atompics.example/2025/03/three/pics/three.jpg' },
        { key: 'tag:atompics.example,2025:4', imageUrl: null },
      ],
    },
  },
  'json-feed-images.json': {
    expected: {
      feed: { format: 'json', title: 'JSON pictures' },
      entries: [
        { key: 'j1', imageUrl: 'https://jsonpics.example/images/1.jpg' },
        { key: 'j2', imageUrl: 'https://jsonpics.example/banners/2.jpg' },
        { key: 'j3', imageUrl: 'https://jsonpics.example/3.jpg' },
        { key: 'j4', imageUrl: 'https://jsonpics.example/posts/4/four.png' },
        { key: 'j5', imageUrl: null },
      ],
    },
  },
  'wordpress-featured-media.json': {
    contentType: 'application/json',
    expected: {
      feed: { format: 'wordpress' },
      entries: [
        { key: '901', imageUrl: 'https://wpimg.example/wp-content/uploads/2025/03/featured.jpg' },
        { key: '902', imageUrl: 'https://wpimg.example/wp-content/uploads/2025/03/embedded.jpg' },
        { key: '903', imageUrl: 'https://wpimg.example/wp-content/uploads/inline.jpg' },
        { key: '904', imageUrl: null },
      ],
    },
  },

  // Encodings.
  'utf8-bom.xml': { expected: { feed: { format: 'rss', title: 'بـ BOM' } } },
  'utf16-le-bom.xml': { expected: { feed: { format: 'rss', title: 'نشرة UTF-16' } } },
  'utf16-be-bom.xml': { expected: { feed: { format: 'rss', title: 'نشرة UTF-16BE' }, entries: [{ title: 'خبر بترتيب كبير' }] } },
  'utf16-le-no-bom.xml': {
    contentType: 'application/rss+xml; charset=utf-16le',
    expected: { feed: { format: 'rss', title: 'UTF-16LE بلا BOM' } },
  },
  'windows-1256.xml': { expected: { feed: { format: 'rss', title: 'صحيفة قديمة' } } },
  'windows-1256-undeclared.xml': {
    contentType: 'text/xml; charset=windows-1256',
    expected: { feed: { format: 'rss', title: 'بلا إعلان ترميز' }, entries: [{ title: 'خبر من دمشق' }] },
  },
  'wrong-charset-declared.xml': {
    // Declared ISO-8859-1, but the bytes are valid UTF-8: read as UTF-8.
    expected: { feed: { format: 'rss', title: 'ترميز معلن خطأ' }, entries: [{ title: 'خبر بترميز UTF-8' }] },
  },
  'illegal-control-chars.xml': {
    expected: { feed: { format: 'rss', title: 'Control chars' }, entries: [{ key: 'ctl-1', title: 'Bell in title' }] },
  },

  // Broken documents.
  'malformed-unclosed.xml': {
    expected: {
      feed: { format: 'rss', title: 'Cut short & sloppy' },
      entries: [
        { key: 'cut-1', html: '<p>Unclosed <b>bold' },
        { key: 'cut-2', title: 'Item cut mid-way', link: null },
      ],
    },
  },
  'malformed-broken.xml': { expected: { refused: 'not_a_feed' } },
  'malformed-text.xml': { expected: { refused: 'not_a_feed' } },
  'empty.xml': { expected: { refused: 'not_a_feed' } },
  'whitespace-only.xml': { expected: { refused: 'not_a_feed' } },
  'not-a-feed.json': { contentType: 'application/json', expected: { refused: 'not_a_feed' } },
  'json-array-not-wordpress.json': { contentType: 'application/json', expected: { refused: 'not_a_feed' } },

  // Hostile documents: refused before any parser sees them.
  'billion-laughs.xml': { expected: { refused: 'hostile_document' } },
  'xxe-system.xml': { expected: { refused: 'hostile_document' } },
  'xxe-parameter-entity.xml': { expected: { refused: 'hostile_document' } },
  'entity-behind-comment.xml': { expected: { refused: 'hostile_document' } },
  'rss-internal-subset-no-entities.xml': {
    expected: { feed: { format: 'rss', title: 'Declares elements, not entities' }, entries: [{ key: 'subset-1' }] },
  },
  'rss-escaped-markup.xml': {
    expected: {
      feed: { format: 'rss', title: 'Escaped <markup> & more' },
      entries: [{ key: 'esc-1', title: 'Code sample: <!ENTITY x "y"> explained' }],
    },
  },

  // Identity of items.
  'duplicate-guids.xml': {
    expected: {
      feed: { format: 'rss' },
      entries: [{ key: '42 https://dup.example/a' }, { key: '42 https://dup.example/b' }, { key: '43', title: 'Story C' }],
    },
  },
  'no-guid-no-link.xml': {
    expected: {
      feed: { format: 'rss' },
      entries: [
        { key: hashKey('عنوان فقط', 'نص الخبر الأول') },
        { key: hashKey('', 'نص بلا عنوان') },
        { key: hashKey('عنوان فقط', 'نص مختلف تمامًا') },
      ],
    },
  },
  'reorder-a.xml': {
    expected: {
      feed: { format: 'rss' },
      entries: [
        { key: 'r https://reorder.example/1' },
        { key: 'r https://reorder.example/2' },
        { key: 'https://reorder.example/3', link: 'https://reorder.example/3#top' },
        { key: hashKey('Four', 'no guid, no link') },
      ],
    },
  },
  'reorder-b.xml': {
    expected: {
      feed: { format: 'rss' },
      entries: [
        { key: hashKey('Four', 'no guid, no link') },
        { key: 'https://reorder.example/3', link: 'https://reorder.example/3#comments' },
        { key: 'r https://reorder.example/2' },
        { key: 'r https://reorder.example/1' },
      ],
    },
  },
  'utm-links.xml': {
    expected: {
      feed: { format: 'rss' },
      entries: [
        {
          key: 'https://utm.example/story?id=7',
          link: 'https://utm.example/story?id=7&utm_source=rss&UTM_Medium=feed#section-2',
        },
        { key: 'https://utm.example/other?b=2&a=1' },
      ],
    },
  },
  'title-edit-before.xml': {
    expected: { feed: { format: 'rss' }, entries: [{ key: 'edit-1', link: null }, { key: 'https://edit.example/2' }] },
  },
  'title-edit-after.xml': {
    expected: { feed: { format: 'rss' }, entries: [{ key: 'edit-1' }, { key: 'https://edit.example/2' }] },
  },

  // Pages.
  'page-with-feed-link.html': {
    contentType: 'text/html; charset=utf-8',
    expected: { page: ['https://f.example/feed.xml?format=rss&lang=ar'] },
  },
  'page-without-feed-link.html': { contentType: 'text/html', expected: { page: [] } },
  'page-wordpress.html': { contentType: 'text/html; charset=UTF-8', expected: { page: [] } },
  // Recognised by its doctype, even served as XML and mentioning <rss>.
  'page-xhtml.html': { contentType: 'application/xml', expected: { page: ['https://xhtml-site.example/atom.xml'] } },
  // No doctype and no <html>, but the server says it is a page.
  'page-no-html-tag.html': { contentType: 'text/html', expected: { page: ['https://f.example/sloppy.rss'] } },
};

describe('parseDocument over every fixture', () => {
  it('has an expected outcome written for every fixture in the folder, and at least 40 of them', () => {
    const files = readdirSync(new URL('../fixtures/feeds/', import.meta.url)).sort();
    expect(files).toEqual(Object.keys(fixtures).sort());
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(Object.entries(fixtures))('reads %s as expected', (name, { contentType, expected }) => {
    const document = parseFixture(name, contentType ?? null);
    if ('refused' in expected) {
      expect(document).toMatchObject({ kind: 'refused', code: expected.refused });
    } else if ('page' in expected) {
      expect(document).toEqual({ kind: 'page', feedLinks: expected.page });
    } else {
      expect(document.kind).toBe('feed');
      const feed = (document as { feed: ParsedFeed }).feed;
      expect(feed).toMatchObject(expected.feed);
      if (expected.entries) {
        expect(feed.entries).toHaveLength(expected.entries.length);
        expected.entries.forEach((entry, index) => expect(feed.entries[index]).toMatchObject(entry));
      }
    }
  });

  it('returns plain data that survives a structured clone (the worker boundary) unchanged', () => {
    for (const name of ['rss-arabic.xml', 'page-with-feed-link.html', 'billion-laughs.xml', 'wordpress-posts.json']) {
      const document = parseFixture(name, name.endsWith('.html') ? 'text/html' : null);
      expect(structuredClone(document)).toEqual(document);
    }
  });
});
