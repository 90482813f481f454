import { describe, expect, it } from 'vitest';
import { findFeedLinks } from '../../src/sources/find-feed-links.js';

describe('findFeedLinks', () => {
  it('lists announced RSS, Atom and JSON feeds in page order, as absolute URLs', () => {
    const html = `
      <link rel="stylesheet" type="text/css" href="/s.css">
      <LINK REL='Alternate' TYPE='application/atom+xml' HREF='atom.xml'>
      <link href=/rss.xml type="application/rss+xml; charset=utf-8" rel="alternate home"/>
      <link rel="alternate" type="application/feed+json" href="https://cdn.example/feed.json">
      <link rel="alternate" type="text/html" hreflang="en" href="/en/">`;
    expect(findFeedLinks(html, 'https://site.example/news/')).toEqual([
      'https://site.example/news/atom.xml',
      'https://site.example/rss.xml',
      'https://cdn.example/feed.json',
    ]);
  });

  it('skips comment feeds, by title or by URL, in English or Arabic', () => {
    const html = `
      <link rel="alternate" type="application/rss+xml" title="Site » Comments Feed" href="/a">
      <link rel="alternate" type="application/rss+xml" title="الموقع » خلاصة التعليقات" href="/b">
      <link rel="alternate" type="application/rss+xml" href="/comments/feed/">
      <link rel="alternate" type="application/rss+xml" title="Site » Feed" href="/feed/">`;
    expect(findFeedLinks(html, 'https://site.example/')).toEqual(['https://site.example/feed/']);
  });

  it('decodes entities in the address and ignores links that are not web links', () => {
    const html = `
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" type="application/rss+xml" href="/feed?a=1&amp;b=2">`;
    expect(findFeedLinks(html, 'https://site.example/')).toEqual(['https://site.example/feed?a=1&b=2']);
  });

  it('finds nothing on a page without feed links', () => {
    expect(findFeedLinks('<html><head><title>x</title></head></html>', 'https://site.example/')).toEqual([]);
  });

  it('drops an announced feed whose address is longer than 2,048 characters', () => {
    const long = `/feed?${'q'.repeat(2_100)}`;
    const html = `<link rel="alternate" type="application/rss+xml" href="${long}"><link rel="alternate" type="application/atom+xml" href="/atom">`;
    expect(findFeedLinks(html, 'https://site.example/')).toEqual(['https://site.example/atom']);
  });
});
