import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { articleLimits, extractArticleText } from '../../src/sources/extract-article.js';

/** The seed article as its blog serves it: navigation, scripts and a footer around the text. */
function seedArticlePage(extraHead = ''): { html: string; title: string; paragraphs: string[] } {
  const lines = fs
    .readFileSync(new URL('../fixtures/seed-article.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const [skipLink, title, ...paragraphs] = lines as [string, string, ...string[]];
  const html = `<!doctype html>
<html lang="ar" dir="rtl">
<head>
  <meta charset="utf-8">${extraHead}
  <title>${title} | مدونة هادي العبد الله</title>
  <script>window.tracker = "SCRIPT-IN-HEAD";</script>
  <style>.post { color: red } /* STYLE-TEXT */</style>
</head>
<body>
  <a class="skip-link" href="#content">${skipLink}</a>
  <header><nav><ul>
    <li><a href="/">الرئيسية</a></li><li><a href="/news/">أخبار</a></li><li><a href="/videos/">فيديو</a></li>
  </ul></nav></header>
  <main id="content">
    <article class="post">
      <h1 class="entry-title">${title}</h1>
      <div class="entry-content">
        ${paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n        ')}
        <script>document.write("SCRIPT-IN-ARTICLE");</script>
        <noscript>NOSCRIPT-TEXT</noscript>
      </div>
    </article>
  </main>
  <aside><h3>الأكثر قراءة</h3><ul><li><a href="/a">خبر آخر</a></li></ul></aside>
  <footer>جميع الحقوق محفوظة © FOOTER-TEXT</footer>
</body>
</html>`;
  return { html, title, paragraphs };
}

describe('extractArticleText', () => {
  it('extracts an Arabic article’s text, one paragraph per line, without navigation, scripts or footer', () => {
    const { html, title, paragraphs } = seedArticlePage();
    const article = extractArticleText(html, 'http://127.0.0.1:8080/2020/01/russia/');
    expect(article).not.toBeNull();
    expect(article!.title).toContain('روسيا تدّعي سحب ميليشياتها');
    const lines = article!.text.split('\n');
    for (const paragraph of paragraphs) expect(lines).toContain(paragraph);
    expect(lines.indexOf(paragraphs[0]!)).toBeLessThan(lines.indexOf(paragraphs.at(-1)!));
    for (const noise of ['SCRIPT-IN-HEAD', 'SCRIPT-IN-ARTICLE', 'STYLE-TEXT', 'NOSCRIPT-TEXT', 'FOOTER-TEXT', 'الرئيسية', 'تخطى إلى المحتوى']) {
      expect(article!.text).not.toContain(noise);
    }
    expect(title.length).toBeGreaterThan(0);
    expect(article!.imageUrl).toBeNull();
  });

  it('returns the page’s og:image, entities decoded and resolved against the page’s address', () => {
    const { html } = seedArticlePage('\n  <meta property="og:image" content="../../uploads/russia.jpg?w=1200&amp;h=630">');
    const article = extractArticleText(html, 'https://blog.example/2020/01/russia/');
    expect(article?.imageUrl).toBe('https://blog.example/2020/uploads/russia.jpg?w=1200&h=630');
  });

  it.each([
    ['og:image before twitter:image, whatever their order', '<meta name="twitter:image" content="https://cdn.example/t.jpg"><meta property="og:image" content="https://cdn.example/og.jpg">', 'https://cdn.example/og.jpg'],
    ['og:image written with name=', '<meta name="og:image" content="https://cdn.example/og.jpg">', 'https://cdn.example/og.jpg'],
    ['twitter:image without og:image', '<meta name="twitter:image" content="https://cdn.example/t.jpg">', 'https://cdn.example/t.jpg'],
    ['the next candidate after a script link', '<meta property="og:image" content="javascript:alert(1)"><meta property="og:image:secure_url" content="https://cdn.example/s.jpg">', 'https://cdn.example/s.jpg'],
    ['no picture for a URL over 2,048 characters', `<meta property="og:image" content="https://cdn.example/${'p'.repeat(2_048)}.jpg">`, null],
    ['no picture for a data: URL', '<meta property="og:image" content="data:image/png;base64,AAAA">', null],
  ])('reads %s', (_, head, expected) => {
    const article = extractArticleText(seedArticlePage(head).html, 'https://blog.example/post/');
    expect(article).not.toBeNull();
    expect(article!.imageUrl).toBe(expected);
  });

  it('returns null for a page with no article in it', () => {
    const html = '<!doctype html><html><body><nav><a href="/">Home</a></nav><form><input name="q"></form></body></html>';
    expect(extractArticleText(html, 'https://example.com/')).toBeNull();
    expect(extractArticleText('', 'https://example.com/')).toBeNull();
  });

  it('reads only the first 2 MB of a huge page, and keeps the text within its cap', () => {
    const paragraph = `<p>${'كلمة '.repeat(200)}</p>`;
    const html = `<html><body><article>${paragraph.repeat(Math.ceil((3 * 1024 * 1024) / paragraph.length))}<p>TAIL-MARK</p></article></body></html>`;
    const started = performance.now();
    const article = extractArticleText(html, 'https://example.com/long');
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(article).not.toBeNull();
    expect(article!.text).not.toContain('TAIL-MARK');
    expect(article!.text.length).toBeLessThanOrEqual(articleLimits.textChars);
  });

  it('finishes within seconds on hostile markup: runs of <, entities, unclosed tags, deep nesting, many elements', () => {
    const megabyte = 'x'.repeat(1024 * 1024);
    const shapes = [
      '<'.repeat(1024 * 1024),
      '<'.repeat(29_000) + megabyte,
      '&lt;'.repeat(29_000) + megabyte,
      '<div>'.repeat(100_000) + '<p>text</p>',
      `<html><body>${'<div>'.repeat(29_000)}<p>text</p></body></html>`,
      `<html><body>${'<div><span>a</span><a href="/x">b</a></div>'.repeat(5_000)}</body></html>`,
      '<p class="'.repeat(100_000),
      '<script>'.repeat(100_000),
    ];
    for (const html of shapes) {
      const started = performance.now();
      extractArticleText(html, 'https://example.com/');
      expect(performance.now() - started).toBeLessThan(5_000);
    }
  });
});
