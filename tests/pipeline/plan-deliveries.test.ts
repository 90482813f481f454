import { describe, expect, it } from 'vitest';
import { dailyDigestHourUtc, periodEnd, planDeliveries, type PeriodEnd } from '../../src/pipeline/plan-deliveries.js';
import { defaultChatSettings, type ChatSettings, type NewItem, type SourceSubscriber } from '../../src/store/store.js';
import { indexTokens } from '../../src/text/index.js';

/** An item as the pipeline makes it: index tokens from text/, as to-new-item does. */
function item(headline: string, body = ''): NewItem {
  return { key: headline, headline, link: null, publishedAt: null, searchTitle: indexTokens(headline), searchBody: indexTokens(body) };
}

function chat(chatId: number, settings: Partial<ChatSettings> = {}, threadId: number | null = null): SourceSubscriber {
  return { chatId, threadId, settings: { ...defaultChatSettings, ...settings } };
}

const now = new Date('2026-03-10T10:20:30.000Z');

/** Which items (by headline) a chat with these filters receives. */
function received(headlines: Array<string | [string, string]>, settings: Partial<ChatSettings>): string[] {
  const items = headlines.map((entry) => (typeof entry === 'string' ? item(entry) : item(entry[0], entry[1])));
  const planned = planDeliveries({ items, subscribers: [chat(-1, settings)], recentPosts: new Map(), now });
  return planned.filter((entry) => (entry.deliveries ?? []).length > 0).map((entry) => entry.headline);
}

describe('planDeliveries: keyword filters', () => {
  const table: Array<{ name: string; items: Array<string | [string, string]>; settings: Partial<ChatSettings>; expected: string[] }> = [
    {
      name: 'no filter: every item',
      items: ['خسائر فادحة', 'أمطار غزيرة'],
      settings: {},
      expected: ['خسائر فادحة', 'أمطار غزيرة'],
    },
    {
      name: 'an include word sees through a broken word in the item',
      items: ['خـ.ـسائر فادحة في حلب', 'أمطار غزيرة'],
      settings: { includeWords: ['خسائر'] },
      expected: ['خـ.ـسائر فادحة في حلب'],
    },
    {
      name: 'an include word matches its inflected forms as search does (الخسائر, بخسائرها)',
      items: ['الخسائر الاقتصادية', 'شركة تقر بخسائرها', 'أرباح قياسية'],
      settings: { includeWords: ['خسائر'] },
      expected: ['الخسائر الاقتصادية', 'شركة تقر بخسائرها'],
    },
    {
      name: 'an include word typed broken or with harakat still matches',
      items: ['خسائر فادحة', 'أمطار'],
      settings: { includeWords: ['خـسَائر'] },
      expected: ['خسائر فادحة'],
    },
    {
      name: 'an include word of four letters or more matches as a prefix',
      items: ['Convoys reach the border', 'Convention signed', 'A con artist'],
      settings: { includeWords: ['convo'] },
      expected: ['Convoys reach the border'],
    },
    {
      name: 'a short include word does not match as a prefix',
      items: ['غزة تحت القصف', 'غزال في الحديقة'],
      settings: { includeWords: ['غزة'] },
      expected: ['غزة تحت القصف'],
    },
    {
      name: 'latin words match whatever their case',
      items: ['UN Security Council meets', 'Weather today'],
      settings: { includeWords: ['security'] },
      expected: ['UN Security Council meets'],
    },
    {
      name: 'an include word found in the body only counts',
      items: [['عاجل', 'أعلنت الوزارة عن خسائر كبيرة'], ['عاجل ٢', 'طقس معتدل']],
      settings: { includeWords: ['خسائر'] },
      expected: ['عاجل'],
    },
    {
      name: 'at least one of several include words must match',
      items: ['قصف على حلب', 'أمطار في إدلب', 'مباراة كرة القدم'],
      settings: { includeWords: ['حلب', 'إدلب'] },
      expected: ['قصف على حلب', 'أمطار في إدلب'],
    },
    {
      name: 'an exclude word keeps an item out',
      items: ['قصف على حلب', 'مباراة كرة القدم في حلب'],
      settings: { excludeWords: ['مباراة'] },
      expected: ['قصف على حلب'],
    },
    {
      name: 'an exclude word sees through a broken word too',
      items: ['خـ.ـسائر فادحة', 'أمطار'],
      settings: { excludeWords: ['خسائر'] },
      expected: ['أمطار'],
    },
    {
      name: 'include and exclude together: a match that is also excluded is out',
      items: ['قصف على حلب', 'مباراة في حلب', 'أمطار في إدلب'],
      settings: { includeWords: ['حلب'], excludeWords: ['مباراة'] },
      expected: ['قصف على حلب'],
    },
    {
      name: 'a phrase needs its words one after another',
      items: ['وقف إطلاق النار في غزة', 'وقف القتال وإطلاق النار', 'إطلاق النار ثم وقف'],
      settings: { includeWords: ['وقف إطلاق النار'] },
      expected: ['وقف إطلاق النار في غزة'],
    },
    {
      name: 'a phrase matches in the body, never across the title and the body',
      items: [['خبر عن وقف', 'إطلاق النار مستمر'], ['خبر', 'اتفاق على وقف إطلاق النار']],
      settings: { includeWords: ['وقف إطلاق النار'] },
      expected: ['خبر'],
    },
    {
      name: 'an excluded phrase leaves the same words apart alone',
      items: ['كأس العالم تبدأ', 'العالم يترقب الكأس'],
      settings: { excludeWords: ['كأس العالم'] },
      expected: ['العالم يترقب الكأس'],
    },
    {
      name: 'filter words are words, never patterns: an entry of only symbols (.*) is no filter at all',
      items: ['Prices rise', 'a.*b'],
      settings: { includeWords: ['.*'] },
      expected: ['Prices rise', 'a.*b'],
    },
    {
      name: 'an include entry made only of punctuation is ignored, the others still filter',
      items: ['قصف على حلب', 'أمطار في إدلب'],
      settings: { includeWords: ['؟', 'حلب'] },
      expected: ['قصف على حلب'],
    },
  ];

  for (const row of table) {
    it(row.name, () => {
      expect(received(row.items, row.settings)).toEqual(row.expected);
    });
  }
});

describe('planDeliveries: digests and bursts', () => {
  const at = (iso: string) => new Date(iso);

  it('posts now, to each chat in its topic, for chats without a digest', () => {
    const [planned] = planDeliveries({ items: [item('خبر')], subscribers: [chat(-1), chat(-2, {}, 77)], recentPosts: new Map(), now });
    expect(planned!.deliveries).toEqual([
      { chatId: -1, threadId: null, notBefore: now, digest: false },
      { chatId: -2, threadId: 77, notBefore: now, digest: false },
    ]);
  });

  it('queues digest rows due at the next full hour for an hourly chat, and at the daily hour for a daily one', () => {
    const [planned] = planDeliveries({
      items: [item('خبر')],
      subscribers: [chat(-1, { digest: 'hourly' }), chat(-2, { digest: 'daily' })],
      recentPosts: new Map(),
      now,
    });
    expect(planned!.deliveries).toEqual([
      { chatId: -1, threadId: null, notBefore: at('2026-03-10T11:00:00.000Z'), digest: true },
      { chatId: -2, threadId: null, notBefore: at(`2026-03-11T0${dailyDigestHourUtc}:00:00.000Z`), digest: true },
    ]);
  });

  it('keeps the filters of a digest chat', () => {
    const planned = planDeliveries({
      items: [item('قصف على حلب'), item('أمطار')],
      subscribers: [chat(-1, { digest: 'hourly', includeWords: ['حلب'] })],
      recentPosts: new Map(),
      now,
    });
    expect(planned.map((entry) => entry.deliveries?.length)).toEqual([1, 0]);
  });

  it('turns the posts past the burst limit, counting the last hour, into digest rows due at the end of the hour', () => {
    const items = ['1', '2', '3', '4'].map((n) => item(`خبر ${n}`));
    const planned = planDeliveries({
      items,
      subscribers: [chat(-1, { burstLimit: 3 }), chat(-2, { burstLimit: 3 })],
      recentPosts: new Map([[-1, 2]]),
      now,
    });
    const of = (chatId: number) => planned.map((entry) => entry.deliveries!.find((delivery) => delivery.chatId === chatId)!.digest);
    // Chat -1 had 2 posts this hour: one more fits, the three newest wait for the digest.
    expect(of(-1)).toEqual([false, true, true, true]);
    expect(of(-2)).toEqual([false, false, false, true]);
    const excess = planned[3]!.deliveries!.find((delivery) => delivery.chatId === -1)!;
    expect(excess.notBefore).toEqual(at('2026-03-10T11:00:00.000Z'));
  });

  it('uses the injected period end, so a test need not wait an hour', () => {
    const soon: PeriodEnd = (_period, from) => new Date(from.getTime() + 1000);
    const [planned] = planDeliveries({ items: [item('خبر')], subscribers: [chat(-1, { digest: 'daily' })], recentPosts: new Map(), now, periodEnd: soon });
    expect(planned!.deliveries![0]!.notBefore).toEqual(new Date(now.getTime() + 1000));
  });

  it('keeps every item, with no deliveries when nobody subscribes', () => {
    const planned = planDeliveries({ items: [item('أ'), item('ب')], subscribers: [], recentPosts: new Map(), now });
    expect(planned.map((entry) => [entry.headline, entry.deliveries])).toEqual([
      ['أ', []],
      ['ب', []],
    ]);
  });
});

describe('periodEnd', () => {
  const table: Array<[period: 'hour' | 'day', now: string, end: string]> = [
    ['hour', '2026-03-10T10:20:30.000Z', '2026-03-10T11:00:00.000Z'],
    ['hour', '2026-03-10T10:00:00.000Z', '2026-03-10T11:00:00.000Z'],
    ['hour', '2026-03-10T23:59:59.999Z', '2026-03-11T00:00:00.000Z'],
    ['day', '2026-03-10T03:00:00.000Z', `2026-03-10T0${dailyDigestHourUtc}:00:00.000Z`],
    ['day', `2026-03-10T0${dailyDigestHourUtc}:00:00.000Z`, `2026-03-11T0${dailyDigestHourUtc}:00:00.000Z`],
    ['day', '2026-03-31T22:00:00.000Z', `2026-04-01T0${dailyDigestHourUtc}:00:00.000Z`],
  ];
  for (const [period, from, end] of table) {
    it(`ends the ${period} containing ${from} at ${end}`, () => {
      expect(periodEnd(period, new Date(from)).toISOString()).toBe(end);
    });
  }
});
