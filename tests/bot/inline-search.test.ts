import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toNewItems } from '../../src/pipeline/to-new-item.js';
import type { FakeUser, RecordedCall } from '../helpers/fake-telegram.js';
import { InProcessBot } from '../helpers/in-process-bot.js';

const reader: FakeUser = { id: 921, first_name: 'Reader', language_code: 'en' };
const other: FakeUser = { id: 922, first_name: 'Other', language_code: 'ar' };

/** Fourteen articles about a convoy (two inline pages of ten), one about losses; a day apart, the newest last. */
const entries = [
  ...Array.from({ length: 14 }, (_, i) => ({
    key: `convoy-${i + 1}`,
    title: `Aid convoy ${i + 1} reaches Idlib`,
    link: `https://news.example/convoy-${i + 1}`,
    html: '<p>Trucks crossed the border at dawn with food.</p>',
    publishedAt: new Date(Date.UTC(2026, 2, i + 1, 9)).toISOString(),
    imageUrl: null,
  })),
  {
    key: 'losses',
    title: 'روسيا تقر بخـ.ـسائرها في إدلب',
    link: 'https://news.example/losses?a=1&b=2',
    html: '<p>قالت وزارة الدفاع إن الخسائر كبيرة.</p>',
    publishedAt: new Date(Date.UTC(2026, 2, 20, 9)).toISOString(),
    imageUrl: null,
  },
];

describe('inline search, @bot words in any chat (inline-search feature)', () => {
  let app: InProcessBot;

  beforeEach(async () => {
    app = await InProcessBot.start();
    const { source } = await app.store.addSource({ url: 'https://news.example/feed', feedUrl: 'https://news.example/feed', title: 'News Example' });
    await app.store.recordItems(source.id, toNewItems(entries, { signatures: [] }));
  });
  afterEach(async () => {
    await app.close();
  });

  const answers = (): RecordedCall[] => app.telegram.callsOf('answerInlineQuery');
  const titles = (call: RecordedCall | undefined): string[] => (call?.params.results ?? []).map((result: { title: string }) => result.title);
  const convoyNumbers = (call: RecordedCall | undefined) => titles(call).map((title) => Number(/convoy (\d+)/.exec(title)?.[1]));

  it('offers matching articles to share, each as the post nashra would make, the same for everyone', async () => {
    await app.sendInlineQuery(other, 'خسائر');
    const [answer] = answers();
    expect(answer?.params.inline_query_id).toMatch(/^iq-/);
    expect(answer?.params.is_personal).toBe(false);
    expect(answer?.params.cache_time).toBe(10);
    expect(answer?.params.next_offset).toBe('');
    const [result, ...rest] = answer!.params.results;
    expect(rest).toEqual([]);
    expect(result.type).toBe('article');
    expect(result.title).toBe('روسيا تقر بخسائرها في إدلب');
    expect(result.description).toMatch(/^News Example · 2026-03-20 · /);
    expect(result.description).toContain('الخسائر');
    expect(result.input_message_content).toEqual({
      message_text: '<b>روسيا تقر بخسائرها في إدلب</b>\n<a href="https://news.example/losses?a=1&amp;b=2">https://news.example/losses?a=1&amp;b=2</a>',
      parse_mode: 'HTML',
    });
  });

  it('pages through many matches ten at a time, as the reader scrolls', async () => {
    await app.sendInlineQuery(reader, 'convoy');
    const first = answers()[0];
    expect(titles(first)).toHaveLength(10);
    expect(first?.params.next_offset).toBe('1');
    await app.sendInlineQuery(reader, 'convoy', '1');
    const second = answers()[1];
    expect(titles(second)).toHaveLength(4);
    expect(second?.params.next_offset).toBe('');
    // Every convoy article once across the two pages.
    expect([...convoyNumbers(first), ...convoyNumbers(second)].sort((a, b) => a - b)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });

  it('offers the newest articles when no words are typed, also in pages of ten', async () => {
    await app.sendInlineQuery(reader, '');
    const first = answers()[0];
    expect(titles(first)[0]).toBe('روسيا تقر بخسائرها في إدلب');
    expect(convoyNumbers(first).slice(1)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(first?.params.next_offset).toBe('1');
    await app.sendInlineQuery(reader, '   ', '1');
    expect(convoyNumbers(answers()[1])).toEqual([5, 4, 3, 2, 1]);
    expect(answers()[1]?.params.next_offset).toBe('');
  });

  it('reads an offset it did not give as the first page', async () => {
    await app.sendInlineQuery(reader, 'convoy', 'not-a-page');
    expect(titles(answers()[0])).toHaveLength(10);
    expect(answers()[0]?.params.next_offset).toBe('1');
  });

  it('answers an empty list with a "too fast" button once a burst is used up, then nothing, per user', async () => {
    for (let i = 0; i < 5; i++) await app.sendInlineQuery(reader, 'convoy');
    const calls = answers();
    expect(calls).toHaveLength(4);
    expect(calls.slice(0, 3).every((call) => titles(call).length === 10)).toBe(true);
    expect(calls[3]?.params.results).toEqual([]);
    expect(calls[3]?.params.is_personal).toBe(true);
    expect(calls[3]?.params.button).toEqual({ text: 'Searching too fast: wait a moment', start_parameter: 'search' });
    // Another user still gets answers.
    await app.sendInlineQuery(other, 'convoy');
    expect(titles(answers()[4])).toHaveLength(10);
    expect(app.logged('update failed')).toEqual([]);
  });
});
