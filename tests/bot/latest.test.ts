import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toNewItems } from '../../src/pipeline/to-new-item.js';
import type { FakeChat, FakeUser } from '../helpers/fake-telegram.js';
import { InProcessBot } from '../helpers/in-process-bot.js';

const reader: FakeUser = { id: 811, first_name: 'Reader', language_code: 'en' };
const readerChat: FakeChat = { id: reader.id, type: 'private', first_name: 'Reader' };

describe('/latest (latest feature)', () => {
  let app: InProcessBot;
  beforeEach(async () => {
    app = await InProcessBot.start();
  });
  afterEach(async () => {
    await app.close();
  });

  const lastReply = () => String(app.telegram.callsOf('sendMessage', reader.id).at(-1)?.params.text);

  it('says there is nothing yet before any source is added', async () => {
    await app.sendText(reader, readerChat, '/latest');
    expect(lastReply()).toBe('No articles yet: a bot administrator adds sources with /addsource.');
  });

  it('lists the ten newest articles, newest first, each linked with its source and day', async () => {
    const { source } = await app.store.addSource({ url: 'https://news.example/feed', feedUrl: 'https://news.example/feed', title: 'News & Views' });
    const entries = Array.from({ length: 12 }, (_, i) => ({
      key: `a${i + 1}`,
      title: `Article ${i + 1} Q&A Idlib`,
      link: `https://news.example/a${i + 1}?x=1&y=2`,
      html: '<p>text</p>',
      publishedAt: new Date(Date.UTC(2026, 1, i + 1, 12)).toISOString(),
      imageUrl: null,
    }));
    await app.store.recordItems(source.id, toNewItems(entries, { signatures: [] }));
    await app.sendText(reader, readerChat, '/latest');
    const text = lastReply();
    expect(text.split('\n')[0]).toBe('The newest articles:');
    const titles = [...text.matchAll(/Article (\d+) /g)].map((match) => Number(match[1]));
    expect(titles).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    // Escaped for Telegram’s HTML: the title’s ampersand, the link's ampersands, the source's name.
    expect(text).toContain('<a href="https://news.example/a12?x=1&amp;y=2">Article 12 Q&amp;A Idlib</a>');
    expect(text).toContain('News &amp; Views');
    expect(text).toContain('2026-02-12');
  });
});
