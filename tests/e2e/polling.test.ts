import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, makeTempDir } from '../helpers/bot-process.js';
import { FeedFarm, type FarmFeed } from '../helpers/feed-farm.js';
import { FakeTelegram, type FakeChat, type FakeUser } from '../helpers/fake-telegram.js';
import { waitUntil } from '../helpers/wait-until.js';

const token = '123456:TEST-token_for-polling';
const admin: FakeUser = { id: 111, first_name: 'Admin', language_code: 'en' };
const adminChat: FakeChat = { id: admin.id, type: 'private', first_name: 'Admin' };
const channel: FakeChat = { id: -1001000000001, type: 'channel', title: 'Burst news', username: 'burst_news' };
const sourceCount = 300;

/** A feed no one would write by hand: what an attacker or a broken CMS can publish. */
function hostileItems(feed: FarmFeed, round: number): void {
  feed.items = [
    // Titles are cut at 1,000 characters, so the long tatweel run goes in the body (96 KB, as measured
    // in the issue) and a shorter one in the title.
    { guid: `tatweel-${round}`, title: `خ${'ـ'.repeat(900)}سائر ${round}`, body: `ا${'ـ'.repeat(48_000)}ب ${'ـ.'.repeat(30_000)}`, pubDate: new Date() },
    { guid: `title-${round}`, title: 'عنوان '.repeat(170_000), body: '<'.repeat(100_000), pubDate: new Date() },
    { guid: `nest-${round}`, title: '', body: `${'<div><script>'.repeat(20_000)}${'a. '.repeat(40_000)}`, pubDate: new Date() },
  ];
  feed.rendered = undefined;
}

describe('polling many sources, as a newsroom runs it', () => {
  let telegram: FakeTelegram;
  let farm: FeedFarm;
  let bot: BotProcess;
  let hostile: FarmFeed;
  let burst: FarmFeed;
  let churn: NodeJS.Timeout;
  let urls: string[];

  beforeAll(async () => {
    telegram = await new FakeTelegram(token).start();
    farm = await new FeedFarm().start();
    telegram.addChat(channel);
    telegram.setMember(channel.id, admin.id, 'creator');
    telegram.setMember(channel.id, telegram.botUser.id, 'administrator', { can_post_messages: true });

    urls = [];
    for (let i = 0; i < sourceCount; i++) {
      // 5 % of the sources are slow (3 s) or broken (500), as real source lists are.
      const feed = farm.addFeed(`/s${i}.xml`, { count: 5, delayMs: i % 40 === 1 ? 3000 : 0, status: i % 40 === 2 ? 500 : undefined });
      urls.push(feed.url);
    }
    hostile = farm.addFeed('/hostile.xml', { count: 0 });
    hostileItems(hostile, 0);
    burst = farm.addFeed('/burst.xml', { count: 2 });
    urls.push(hostile.url, burst.url);

    bot = new BotProcess({
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: `sqlite:${path.join(makeTempDir(), 'nashra.sqlite')}`,
      BOT_ADMINS: String(admin.id),
      SOURCES: urls.join(','),
      POLL_CRON: '*/2 * * * * *',
      POSTS_PER_POLL: '5',
      POLL_HOST_CONCURRENCY: '4',
      HTTP_PORT: '0',
      FETCH_ALLOW_HOSTS: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    await bot.waitForLog((line) => line.msg === 'nashra started', 20_000);
  }, 30_000);

  afterAll(async () => {
    clearInterval(churn);
    bot?.kill();
    await telegram?.close();
    await farm?.close();
  });

  it('answers commands at once, while the sources in SOURCES are still being read in the background', async () => {
    const started = Date.now();
    expect(await telegram.ask(admin, adminChat, '/start', {}, 3000)).toContain('/search');
    expect(Date.now() - started).toBeLessThan(3000);
    const read = await bot.waitForLog((line) => line.msg === 'sources from SOURCES read', 30_000);
    expect(read).toMatchObject({ sources: sourceCount + 2 });
    // Every source but the broken ones was added, slow ones included.
    const broken = urls.filter((url) => farm.feed(url)?.status === 500).length;
    expect(broken).toBeGreaterThan(5);
    expect(read.added).toBe(sourceCount + 2 - broken);
    expect(read.failed).toBe(broken);
  }, 40_000);

  it('keeps answering within a second while a hostile feed is parsed at every poll', async () => {
    let round = 0;
    churn = setInterval(() => hostileItems(hostile, ++round), 1000);
    const polled = bot.count('poll cycle done');
    await bot.waitForLog(() => bot.count('poll cycle done') >= polled + 2, 20_000);
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      expect(await telegram.ask(admin, adminChat, '/start', {}, 5000)).toContain('/search');
      expect(Date.now() - started).toBeLessThan(1000);
    }
    clearInterval(churn);
    // The hostile items were stored, with headlines of a sane length.
    const latest = await telegram.ask(admin, adminChat, '/latest', {}, 5000);
    expect(latest).toContain('خسائر');
    expect(latest.length).toBeLessThan(4096);
  }, 40_000);

  it('lists hundreds of sources in a few messages, never hundreds', async () => {
    const before = telegram.callsOf('sendMessage', adminChat.id).length;
    telegram.sendText(admin, adminChat, '/sources');
    await telegram.waitForReply(adminChat.id, before, 10_000);
    // Updates of one chat are handled in order: once /help is answered, every part of /sources was sent.
    const help = await telegram.ask(admin, adminChat, '/help', {}, 10_000);
    const calls = telegram.callsOf('sendMessage', adminChat.id).slice(before);
    const sent = calls.slice(0, calls.findIndex((call) => call.params.text === help));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(4);
    expect(sent.every((call) => String(call.params.text).length <= 4096)).toBe(true);
  }, 20_000);

  it('posts at most POSTS_PER_POLL of a burst, the newest, and keeps the rest searchable', async () => {
    expect(await telegram.ask(null, channel, '/subscribe', {}, 10_000)).toContain('كل المصادر');
    for (let i = 0; i < 40; i++) farm.publish(burst, { guid: `burst-${i}`, title: `عاجل رقم ${i}`, pubDate: new Date(Date.now() + i * 1000) });
    await telegram.waitForCall(
      (call) => call.method === 'sendMessage' && Number(call.params.chat_id) === channel.id && String(call.params.text).includes('عاجل رقم 39'),
      20_000,
    );
    // One more complete poll of the burst feed, which still lists all 40: it must queue nothing more.
    const requests = burst.requests;
    await waitUntil(() => burst.requests > requests, 'the burst feed is polled again', 20_000);
    const cycles = bot.count('poll cycle done');
    await bot.waitForLog(() => bot.count('poll cycle done') > cycles, 20_000);
    const posts = telegram.callsOf('sendMessage', channel.id).filter((call) => String(call.params.text).includes('عاجل رقم'));
    expect(posts.map((call) => String(call.params.text).match(/عاجل رقم (\d+)/)?.[1])).toEqual(['35', '36', '37', '38', '39']);
    expect(await telegram.ask(admin, adminChat, '/search عاجل رقم 3', {}, 5000)).toContain('عاجل');
  }, 40_000);
});
