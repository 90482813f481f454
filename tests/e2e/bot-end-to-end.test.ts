import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, makeTempDir } from '../helpers/bot-process.js';
import { FakeNewsSite, seedArticle } from '../helpers/fake-news-site.js';
import { FakeTelegram, type FakeChat, type FakeUser } from '../helpers/fake-telegram.js';
import { waitUntil } from '../helpers/wait-until.js';

const token = '123456:TEST-token_for-nashra';
const admin: FakeUser = { id: 111, first_name: 'Admin', language_code: 'ar' };
const stranger: FakeUser = { id: 222, first_name: 'Stranger', language_code: 'en' };
const reader: FakeUser = { id: 333, first_name: 'Reader', language_code: 'ar' };
const adminChat: FakeChat = { id: admin.id, type: 'private', first_name: 'Admin' };
const strangerChat: FakeChat = { id: stranger.id, type: 'private', first_name: 'Stranger' };
const readerChat: FakeChat = { id: reader.id, type: 'private', first_name: 'Reader' };
const channel: FakeChat = { id: -1001234567890, type: 'channel', title: 'أخبار إدلب', username: 'idlib_news' };
const group: FakeChat = { id: -1009876543210, type: 'supergroup', title: 'Readers group' };
const second: FakeChat = { id: -1002222222222, type: 'channel', title: 'Second', username: 'second_news' };
const noRights: FakeChat = { id: -1003333333333, type: 'channel', title: 'No rights', username: 'no_rights' };

describe('nashra end to end, against a stand-in Bot API and a stand-in news blog', () => {
  let telegram: FakeTelegram;
  let site: FakeNewsSite;
  let bot: BotProcess;
  const seed = seedArticle();

  beforeAll(async () => {
    telegram = await new FakeTelegram(token).start();
    site = await new FakeNewsSite().start();
    telegram.addChat(channel);
    telegram.addChat(group);
    telegram.setMember(group.id, stranger.id, 'member');
    telegram.setMember(group.id, reader.id, 'administrator');
    telegram.setMember(group.id, telegram.botUser.id, 'member');
    telegram.addChat(second);
    telegram.setMember(second.id, reader.id, 'creator');
    telegram.setMember(second.id, telegram.botUser.id, 'administrator', { can_post_messages: true });
    telegram.addChat(noRights);
    telegram.setMember(noRights.id, reader.id, 'administrator');
    telegram.setMember(noRights.id, telegram.botUser.id, 'administrator', { can_post_messages: false });

    // Articles already in the feed before the source is added: stored, searchable, never posted.
    // Three of them, so that the count in the admin's answer cannot be mistaken for the source's id (1).
    site.publish({ guid: 'older-3', title: 'قافلة مساعدات تصل إلى المخيمات', body: 'شاحنات عبرت الحدود فجرًا.', pubDate: new Date(Date.now() - 3 * 86_400_000) });
    site.publish({ guid: 'older-2', title: 'افتتاح مدرسة جديدة في الريف الغربي', body: 'بدأ العام الدراسي.', pubDate: new Date(Date.now() - 2 * 86_400_000) });
    site.publish({
      guid: 'older-1',
      title: 'ضابط في جيش الأسد يعرض على عناصره مليون ليرة',
      body: 'مقابل احضار آلية عسكرية من جبهات إدلب.',
      pubDate: new Date(Date.now() - 86_400_000),
    });

    const dir = makeTempDir();
    bot = new BotProcess({
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: `sqlite:${path.join(dir, 'nashra.sqlite')}`,
      BOT_ADMINS: String(admin.id),
      POLL_CRON: '* * * * * *',
      HTTP_PORT: '0',
      FETCH_ALLOW_HOSTS: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    await bot.waitForLog((line) => line.msg === 'nashra started', 20_000);
  });

  afterAll(async () => {
    bot?.kill();
    await telegram?.close();
    await site?.close();
  });

  it('registers its command menus per scope, in Arabic and English', () => {
    const calls = telegram.callsOf('setMyCommands');
    const menu = (scope: string, language: string, chatId?: number) =>
      calls
        .find(
          (call) =>
            (call.params.scope?.type ?? 'default') === scope &&
            (call.params.language_code ?? 'default') === language &&
            (chatId === undefined || Number(call.params.scope?.chat_id) === chatId),
        )
        ?.params.commands.map((c: { command: string }) => c.command) as string[] | undefined;
    for (const language of ['default', 'ar', 'en']) {
      expect(menu('all_private_chats', language)).toEqual(expect.arrayContaining(['start', 'search', 'subscribe']));
      expect(menu('all_group_chats', language)).toEqual(expect.arrayContaining(['search', 'subscribe']));
      expect(menu('all_group_chats', language)).not.toContain('start');
      expect(menu('all_chat_administrators', language)?.[0]).toBe('subscribe');
      expect(menu('chat', language, admin.id)).toEqual(expect.arrayContaining(['status', 'addsource', 'search']));
    }
    expect(menu('all_private_chats', 'en')).not.toContain('status');
    const arabic = calls.find((call) => call.params.language_code === 'ar')!;
    expect(arabic.params.commands[0].description).toMatch(/[\u0600-\u06ff]/);
  });

  it('answers /start in the user’s language', async () => {
    const text = await telegram.ask(stranger, strangerChat, '/start');
    expect(text).toContain('/search');
    expect(text).toMatch(/news/i);
  });

  it('refuses /addsource from someone who is not a bot admin, and fetches nothing', async () => {
    const before = site.requests.length;
    const other = `${site.origin}/other-feed.xml`;
    const text = await telegram.ask(stranger, strangerChat, `/addsource ${other}`);
    expect(text).toContain('Only the bot');
    expect(site.requests.slice(before)).not.toContain('/other-feed.xml');
  });

  it('adds a source for an admin, reporting its title and items, without posting them', async () => {
    const text = await telegram.ask(admin, adminChat, `/addsource ${site.feedUrl}`);
    // The first source gets id 1, and the feed holds the three older articles.
    expect(text.split('\n')[0]).toBe('أُضيف <b>مدونة هادي العبد الله</b> (رقم 1)، وفيه 3 مقالات.');
    expect(telegram.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) < 0)).toHaveLength(0);
  });

  it('tells the admin clearly when a URL is not a feed', async () => {
    const before = telegram.callsOf('sendMessage', adminChat.id).length;
    const missing = `${site.origin}/missing.xml`;
    const text = await telegram.ask(admin, adminChat, `/addsource ${missing}`);
    expect(text).toContain(`لا أستطيع استخدام ${missing}`);
    expect(text).toContain('HTTP 404');
    expect(site.requests).toContain('/missing.xml');
    // One answer, the refusal; and the list of sources still holds only the first one.
    expect(telegram.callsOf('sendMessage', adminChat.id).slice(before).map((call) => String(call.params.text))).toEqual([text]);
    const sources = await telegram.ask(admin, adminChat, '/sources');
    expect(sources).not.toContain('missing.xml');
    expect(sources).toContain('مدونة هادي العبد الله');
  });

  it('lets a channel subscribe with /subscribe posted in the channel', async () => {
    const text = await telegram.ask(null, channel, '/subscribe');
    expect(text).toMatch(/كل المصادر/);
  });

  it('refuses /subscribe from a group member who is not an administrator', async () => {
    const text = await telegram.ask(stranger, group, '/subscribe@nashra_test_bot');
    expect(text).toContain('Only an administrator');
  });

  it('lets an anonymous group administrator (sending as the group) subscribe', async () => {
    const text = await telegram.ask({ id: 1087968824, first_name: 'Group', username: 'GroupAnonymousBot' }, group, '/subscribe', { sender_chat: group });
    expect(text).toContain('كل المصادر'); // no language_code from an anonymous admin: DEFAULT_LOCALE
  });

  it('lets a channel administrator subscribe the channel from a private chat, and list it', async () => {
    expect(await telegram.ask(reader, readerChat, '/subscribe @second_news')).toContain('@second_news');
    const list = await telegram.ask(reader, readerChat, '/subscriptions');
    expect(list).toContain('@second_news');
    expect(list).toContain('كل المصادر');
  });

  it('explains how to leave one source when the chat receives all of them', async () => {
    expect(await telegram.ask(reader, readerChat, '/unsubscribe @second_news 1')).toContain('/unsubscribe ثم /subscribe');
  });

  it('refuses a private /subscribe when the bot may not post there, or the sender is not an admin, or the chat is unknown', async () => {
    expect(await telegram.ask(reader, readerChat, '/subscribe @no_rights')).toContain('لست مشرفًا في @no_rights يستطيع نشر الرسائل');
    expect(await telegram.ask(stranger, strangerChat, '/subscribe @second_news')).toContain('You are not an administrator of @second_news');
    expect(await telegram.ask(stranger, strangerChat, '/subscribe @nowhere_at_all')).toContain('I cannot see @nowhere_at_all');
    expect(await telegram.ask(stranger, strangerChat, '/subscribe')).toContain('/subscribe @channel');
  });

  it('posts a new article exactly once to the subscribed channel, with the restored headline and the link', async () => {
    const article = site.publish({ guid: 'seed-912fbafef7bfc2d5', title: seed.title, body: seed.body });
    const post = await telegram.waitForCall(
      (call) => call.method === 'sendMessage' && Number(call.params.chat_id) === channel.id && String(call.params.text).includes('href'),
      15_000,
    );
    const text = String(post.params.text);
    expect(post.params.parse_mode).toBe('HTML');
    expect(text).toContain('روسيا تدّعي سحب ميليشياتها من جنوب شرق إدلب وتقر بخسائرها');
    expect(text).not.toContain('ـ');
    expect(text).toContain(`href="${article.link}"`);
    // Nothing from the body: no boilerplate, no paragraphs.
    expect(text).not.toContain('إقرأ أيضاً');
    expect(text).not.toContain('مدونة هادي العبد الله');
    expect(text).not.toContain('معارك');

    // Several more polls go by; the article is never posted again, and the older one never was.
    const polls = bot.count('poll cycle done');
    await bot.waitForLog(() => bot.count('poll cycle done') >= polls + 3, 15_000);
    const channelPosts = telegram.callsOf('sendMessage', channel.id).filter((call) => String(call.params.text).includes('href'));
    expect(channelPosts).toHaveLength(1);
    // Every subscribed chat got it once; the chat the bot may not post to got nothing.
    for (const chat of [group, second]) {
      expect(telegram.callsOf('sendMessage', chat.id).filter((call) => String(call.params.text).includes(article.link))).toHaveLength(1);
    }
    expect(telegram.callsOf('sendMessage', noRights.id)).toHaveLength(0);
    for (const older of ['مليون ليرة', 'قافلة مساعدات', 'مدرسة جديدة']) {
      expect(telegram.calls.some((call) => String(call.params.text ?? '').includes(older) && Number(call.params.chat_id) < 0), older).toBe(false);
    }
  });

  it('shows a bot admin the bot’s health with /status, and nobody else, never with the token', async () => {
    const text = await telegram.ask(admin, adminChat, '/status');
    expect(text).toContain('حالة نشرة');
    expect(text).toContain('المصادر: النشطة 1 · الموقوفة 0 · المتوقفة نهائيًا 0');
    // The article above went to the channel, the group and the second channel.
    expect(text).toContain('أُرسلت 3 · فشلت 0');
    expect(text).toContain('الطابور: فارغ');
    expect(text).not.toContain(token);
    expect(await telegram.ask(stranger, strangerChat, '/status')).toContain('Only the bot');
  });

  it('finds the article with /search خسائر, though the page spells it خـ.ـسائر', async () => {
    const text = await telegram.ask(reader, readerChat, '/search خسائر');
    expect(text).toContain(site.articles[0]!.link);
    expect(text).toContain('بخسائرها');
  });

  it('finds الثــ؟ورية when searched as الثورية, and says clearly when nothing matches', async () => {
    expect(await telegram.ask(reader, readerChat, '/search الثورية')).toContain(site.articles[0]!.link);
    expect(await telegram.ask(reader, readerChat, '/search "unbalanced AND NEAR( * ^')).toContain('لم أجد');
    expect(await telegram.ask(reader, readerChat, '/search')).toContain('أرسل الكلمات');
  });

  it('keeps answering other chats while an /addsource waits on a site that never answers', async () => {
    let connections = 0;
    const hanging = net.createServer(() => (connections += 1));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const slowUrl = `http://127.0.0.1:${(hanging.address() as net.AddressInfo).port}/feed`;
      const before = telegram.callsOf('sendMessage', adminChat.id).length;
      telegram.sendText(admin, adminChat, `/addsource ${slowUrl}`);
      // The /addsource is now waiting on the site: the next answer must not wait for it.
      await waitUntil(() => connections > 0, 'the bot is connected to the site that never answers');
      expect(await telegram.ask(stranger, strangerChat, '/help', {}, 3000)).toContain('/search');
      expect(telegram.callsOf('sendMessage', adminChat.id)).toHaveLength(before);
    } finally {
      hanging.close();
    }
  });

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    const { code, ms } = await bot.stop('SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    expect(bot.count('stopped')).toBe(1);
  });

  it('wrote only JSON lines to stdout, none carrying the token', () => {
    expect(bot.logs.length).toBeGreaterThan(10);
    expect(bot.logs.filter((line) => line.raw)).toEqual([]);
    expect(JSON.stringify(bot.logs)).not.toContain(token);
  });
});
