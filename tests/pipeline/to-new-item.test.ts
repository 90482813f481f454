import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCpuPool, createInProcessCpu } from '../../src/pipeline/cpu-pool.js';
import { makeItems } from '../../src/pipeline/cpu-tasks.js';
import { titleHash, toNewItem } from '../../src/pipeline/to-new-item.js';
import type { FeedEntry } from '../../src/sources/types.js';
import { escapeHtml } from '../../src/text/index.js';

const seed = readFileSync(new URL('../fixtures/seed-article.txt', import.meta.url), 'utf8');
const [skipLink, seedTitle, ...seedParagraphs] = seed.split('\n').filter((line) => line.trim() !== '') as [string, string, ...string[]];

const SEED_LEAD =
  'بعد معارك كبيرة تكبدت خلالها خسائر فادحة، ادّعت روسيا انسحاب قوات نظام الأسد وميليشياته من مواقعها في منطقة جنوب شرق إدلب، عقب قصف نفذته الفصائل الثورية عليها، مؤكدة سقوط أكثر من 100 عنصر ما بين قتيل وجريح.';

const sha256Head = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

function entry(fields: Partial<FeedEntry> = {}): FeedEntry {
  return {
    key: 'seed',
    title: seedTitle,
    link: 'https://blog.example/2020/01/russia/',
    html: [skipLink, seedTitle, ...seedParagraphs].map((line) => `<p>${escapeHtml(line)}</p>`).join('\n'),
    publishedAt: null,
    imageUrl: 'https://blog.example/uploads/russia.jpg',
    ...fields,
  };
}

/** The article's page, as a blog serves it, announcing `image` for sharing. */
function articlePage(paragraphs: readonly string[], image: string | null): string {
  const meta = image === null ? '' : `<meta property="og:image" content="${image}">`;
  const body = paragraphs.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  return `<!doctype html><html lang="ar"><head><meta charset="utf-8">${meta}<title>${seedTitle}</title></head>
<body><nav><a href="/">الرئيسية</a></nav><main><article><h1>${seedTitle}</h1>${body}</article></main><footer>©</footer></body></html>`;
}

describe('toNewItem', () => {
  it('keeps the lead sentence as the summary, the title it repeats left out, broken words restored', () => {
    const item = toNewItem(entry())!;
    expect(item.headline).toBe('روسيا تدّعي سحب ميليشياتها من جنوب شرق إدلب وتقر بخسائرها “بيان من الدفاع”');
    expect(item.summary).toBe(SEED_LEAD);
  });

  it('carries the entry’s picture, and none when the entry has none', () => {
    expect(toNewItem(entry())!.imageUrl).toBe('https://blog.example/uploads/russia.jpg');
    expect(toNewItem(entry({ imageUrl: null }))!.imageUrl).toBeNull();
    const { imageUrl: _, ...withoutPicture } = entry();
    expect(toNewItem(withoutPicture)!.imageUrl).toBeNull();
  });

  it('hashes the title exactly as the feed gave it: the first 32 hex characters of its sha256', () => {
    const item = toNewItem(entry())!;
    expect(item.titleHash).toBe(sha256Head(seedTitle));
    expect(item.titleHash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives a corrected title a new hash, even one the headline rules would show the same', () => {
    const fixed = toNewItem(entry({ title: seedTitle.replace('بخـ.سائرها', 'بخسائرها') }))!;
    const original = toNewItem(entry())!;
    expect(fixed.headline).toBe(original.headline);
    expect(fixed.titleHash).not.toBe(original.titleHash);
    expect(toNewItem(entry())!.titleHash).toBe(original.titleHash);
  });

  it('has no title hash for an entry without a title', () => {
    const item = toNewItem(entry({ title: null }))!;
    expect(item.titleHash).toBeNull();
    expect(titleHash(null)).toBeNull();
  });

  it('has no summary when the body only repeats the title', () => {
    const item = toNewItem(entry({ title: 'Aid convoy reaches Idlib', html: '<p>Aid convoy reaches Idlib.</p>' }))!;
    expect(item.headline).toBe('Aid convoy reaches Idlib');
    expect(item.summary).toBeNull();
  });

  it('summarises the text after the sentence an untitled entry’s headline was made from', () => {
    const item = toNewItem(entry({ title: null, html: '<p>The convoy reached Idlib at dawn. It carried food. More later.</p>' }))!;
    expect(item.headline).toBe('The convoy reached Idlib at dawn.');
    expect(item.summary).toBe('It carried food. More later.');
  });
});

describe('makeItems with the article pages of an excerpt-only feed', () => {
  const excerpt = (fields: Partial<FeedEntry>) =>
    entry({ html: `<p>${escapeHtml(seedParagraphs[0]!.slice(0, 60))}</p>`, imageUrl: null, ...fields });

  it('takes the page’s og:image when the feed gave no picture, resolved against the page', () => {
    const [item] = makeItems({
      entries: [excerpt({})],
      signatures: [],
      pages: { seed: articlePage(seedParagraphs, '/uploads/og.jpg') },
    });
    expect(item?.imageUrl).toBe('https://blog.example/uploads/og.jpg');
    expect(item?.summary).toBe(SEED_LEAD);
  });

  it('keeps the feed’s own picture over the page’s', () => {
    const [item] = makeItems({
      entries: [excerpt({ imageUrl: 'https://blog.example/feed-picture.jpg' })],
      signatures: [],
      pages: { seed: articlePage(seedParagraphs, '/uploads/og.jpg') },
    });
    expect(item?.imageUrl).toBe('https://blog.example/feed-picture.jpg');
  });

  it('takes the page’s picture even when its text adds nothing to the feed’s', () => {
    const full = entry({ imageUrl: null });
    const [item] = makeItems({ entries: [full], signatures: [], pages: { seed: articlePage(seedParagraphs.slice(0, 2), '/uploads/og.jpg') } });
    expect(item?.imageUrl).toBe('https://blog.example/uploads/og.jpg');
    expect(item?.bodyText).toBe(toNewItem(full)!.bodyText);
  });

  it('has no picture when neither the feed nor the page has one', () => {
    const [item] = makeItems({ entries: [excerpt({})], signatures: [], pages: { seed: articlePage(seedParagraphs, null) } });
    expect(item?.imageUrl).toBeNull();
  });

  it('gives the same summary, picture and title hash on a worker thread as in-process', async () => {
    const input = {
      entries: [excerpt({ key: 'a' }), entry({ key: 'b', title: 'Convoy <b>arrives</b>', html: '<p>Trucks crossed at dawn.</p>' })],
      signatures: [],
      pages: { a: articlePage(seedParagraphs, 'https://cdn.example/a.jpg') },
    };
    const pool = createCpuPool({ threads: 1 });
    try {
      const onWorker = await pool.makeItems(input);
      expect(onWorker).toEqual(await createInProcessCpu().makeItems(input));
      // Oldest first: the feed's order reversed.
      expect(onWorker.map(({ summary, imageUrl, titleHash: hash }) => ({ summary, imageUrl, hash }))).toEqual([
        { summary: 'Trucks crossed at dawn.', imageUrl: 'https://blog.example/uploads/russia.jpg', hash: sha256Head('Convoy <b>arrives</b>') },
        { summary: SEED_LEAD, imageUrl: 'https://cdn.example/a.jpg', hash: sha256Head(seedTitle) },
      ]);
    } finally {
      await pool.close();
    }
  });
});
