import { describe, expect, it } from 'vitest';
import { opmlLimits, readOpmlSources, writeOpml } from '../../src/sources/opml.js';

const opml = (body: string, preamble = '<?xml version="1.0" encoding="UTF-8"?>') =>
  `${preamble}\n<opml version="2.0"><head><title>Feeds</title></head><body>${body}</body></opml>`;

describe('readOpmlSources', () => {
  it('reads the xmlUrl of every outline, nested ones included, in document order', () => {
    const reading = readOpmlSources(
      opml(`
        <outline text="Top" type="rss" xmlUrl="https://a.example/feed"/>
        <outline text="News">
          <outline text="B" type="rss" xmlUrl="http://b.example/rss.xml"/>
          <outline text="Deeper">
            <outline text="C" type="rss" xmlUrl="https://c.example/atom?x=1&amp;y=2"/>
          </outline>
        </outline>
        <outline text="D" type="rss" xmlUrl="https://d.example/feed"/>`),
    );
    expect(reading.refused).toBeNull();
    expect(reading.urls).toEqual([
      'https://a.example/feed',
      'http://b.example/rss.xml',
      'https://c.example/atom?x=1&y=2',
      'https://d.example/feed',
    ]);
  });

  it('keeps each feed once, and skips outlines whose URL is not http(s)', () => {
    const reading = readOpmlSources(
      opml(`
        <outline text="A" xmlUrl="https://a.example/feed"/>
        <outline text="A again" xmlUrl=" https://A.example/feed "/>
        <outline text="File" xmlUrl="file:///etc/passwd"/>
        <outline text="JS" xmlUrl="javascript:alert(1)"/>
        <outline text="Not a URL" xmlUrl="feed here"/>
        <outline text="Folder only"/>`),
    );
    expect(reading.urls).toEqual(['https://a.example/feed']);
    expect(reading.skipped).toBe(3);
  });

  it('refuses a document whose DTD declares entities, without parsing it', () => {
    const laughs = `<!DOCTYPE opml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>`;
    const reading = readOpmlSources(opml('<outline text="&lol2;" xmlUrl="https://a.example/feed"/>', laughs));
    expect(reading).toMatchObject({ refused: 'hostile_document', urls: [] });
  });

  it('refuses a document that is not OPML', () => {
    expect(readOpmlSources('<rss version="2.0"><channel><title>x</title></channel></rss>').refused).toBe('not_opml');
    expect(readOpmlSources('just some text').refused).toBe('not_opml');
    expect(readOpmlSources('').refused).toBe('not_opml');
  });

  it('refuses a document larger than its cap', () => {
    const big = opml(`<outline text="${'x'.repeat(opmlLimits.documentChars)}" xmlUrl="https://a.example/"/>`);
    expect(readOpmlSources(big).refused).toBe('too_large');
  });

  it('looks at no more than 5,000 outlines and says the rest were left out', () => {
    const outlines = Array.from({ length: 5_100 }, (_, i) => `<outline text="${i}" xmlUrl="https://s.example/${i}"/>`);
    const reading = readOpmlSources(opml(outlines.join('')));
    expect(reading.urls).toHaveLength(5_000);
    expect(reading.urls.at(-1)).toBe('https://s.example/4999');
    expect(reading.truncated).toBe(true);
  });

  it('reads hostile shapes within a second: deep nesting, runs of < and unclosed tags', () => {
    const shapes = [
      opml('<outline text="a">'.repeat(60_000)),
      opml('<'.repeat(900_000)),
      opml('<outline text="a" xmlUrl="https://a.example/'.repeat(20_000)),
      '<!'.repeat(400_000),
    ];
    for (const shape of shapes) {
      const started = performance.now();
      const reading = readOpmlSources(shape);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(reading.urls.length).toBeLessThanOrEqual(opmlLimits.outlines);
    }
  });
});

describe('writeOpml', () => {
  it('writes a document that reads back to the same feeds, with titles escaped', () => {
    const sources = [
      { title: 'مدونة هادي العبد الله', feedUrl: 'https://blog.example/feed.xml', siteUrl: 'https://blog.example/' },
      { title: 'A & B <News> "quoted"', feedUrl: 'https://ab.example/rss?a=1&b=2' },
      { title: null, feedUrl: 'https://untitled.example/atom.xml' },
    ];
    const text = writeOpml(sources, { now: new Date('2024-01-02T03:04:05Z') });
    expect(text).toContain('<opml version="2.0">');
    expect(text).toContain('text="مدونة هادي العبد الله"');
    expect(text).toContain('A &amp; B &lt;News&gt; &quot;quoted&quot;');
    expect(text).toContain('text="https://untitled.example/atom.xml"');
    expect(text).toContain('htmlUrl="https://blog.example/"');
    expect(readOpmlSources(text).urls).toEqual(sources.map((source) => source.feedUrl));
  });
});
