import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, makeTempDir } from '../helpers/bot-process.js';
import { FakeNewsSite } from '../helpers/fake-news-site.js';
import { FakeTelegram, type FakeChat, type FakeUser, type RecordedCall } from '../helpers/fake-telegram.js';
import { waitUntil } from '../helpers/wait-until.js';

const token = '654321:TEST-search_for-nashra';
const admin: FakeUser = { id: 111, first_name: 'Admin', language_code: 'en' };
const reader: FakeUser = { id: 333, first_name: 'Reader', language_code: 'ar' };
const sharer: FakeUser = { id: 444, first_name: 'Sharer', language_code: 'en' };
const hasty: FakeUser = { id: 555, first_name: 'Hasty', language_code: 'en' };
const hastyInline: FakeUser = { id: 666, first_name: 'Typist', language_code: 'ar' };
const adminChat: FakeChat = { id: admin.id, type: 'private', first_name: 'Admin' };
const readerChat: FakeChat = { id: reader.id, type: 'private', first_name: 'Reader' };
const hastyChat: FakeChat = { id: hasty.id, type: 'private', first_name: 'Hasty' };

const convoys = 12;

type Button = { text: string; callback_data: string };

function buttonsOf(call: RecordedCall): Button[] {
  return (call.params.reply_markup?.inline_keyboard ?? []).flat() as Button[];
}

/** The numbers the results of an answer start with (`1. `, `2. `…). */
function resultNumbers(text: string): number[] {
  return [...text.matchAll(/^(\d+)\. /gm)].map((match) => Number(match[1]));
}

describe('searching nashra: pages, inline mode and the rate limit, against a stand-in Bot API and news site', () => {
  let telegram: FakeTelegram;
  let site: FakeNewsSite;
  let bot: BotProcess;

  beforeAll(async () => {
    telegram = await new FakeTelegram(token).start();
    site = await new FakeNewsSite().start();
    for (let index = 1; index <= convoys; index++) {
      site.publish({
        guid: `convoy-${index}`,
        title: `قافلة مساعدات رقم ${index} تصل إلى ريف إدلب`,
        body: `وصلت قافلة المساعدات ${index} محمّلة بالطحين والدواء إلى المخيمات.`,
        pubDate: new Date(Date.now() - (convoys - index + 1) * 3_600_000),
      });
    }
    site.publish({ guid: 'other', title: 'Weather: rain over the coast', body: 'Nothing about aid.' });

    bot = new BotProcess({
      BOT_TOKEN: token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: `sqlite:${path.join(makeTempDir(), 'nashra.sqlite')}`,
      BOT_ADMINS: String(admin.id),
      POLL_CRON: '0 0 1 1 *',
      HTTP_PORT: '0',
      FETCH_ALLOW_HOSTS: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    await bot.waitForLog((line) => line.msg === 'nashra started', 20_000);
    expect(await telegram.ask(admin, adminChat, `/addsource ${site.feedUrl}`)).toContain(String(convoys + 1));
  });

  afterAll(async () => {
    bot?.kill();
    await telegram?.close();
    await site?.close();
  });

  it('asks Telegram for inline queries and button presses when it polls for updates', () => {
    const polls = telegram.callsOf('getUpdates');
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.at(-1)!.params.allowed_updates).toEqual(expect.arrayContaining(['message', 'inline_query', 'callback_query']));
  });

  it('pages through more than five results in one message, editing it for next and previous, and tells an expired page apart', async () => {
    const before = telegram.callsOf('sendMessage', readerChat.id).length;
    telegram.sendText(reader, readerChat, '/search قافلة');
    await telegram.waitForReply(readerChat.id, before);
    const answer = telegram.callsOf('sendMessage', readerChat.id)[before]!;
    const messageId = Number(answer.result.message_id);
    expect(resultNumbers(String(answer.params.text))).toEqual([1, 2, 3, 4, 5]);
    expect(String(answer.params.text)).toContain('<b>قافلة</b>');
    // Each a link to one of the convoy articles.
    expect(String(answer.params.text).match(/href="[^"]*\/convoy-\d+\/"/g)).toHaveLength(5);
    const first = buttonsOf(answer);
    expect(first.map((button) => button.text)).toEqual(['صفحة 1', 'التالي ›']);
    for (const button of first) {
      expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
      expect(button.callback_data).not.toContain('قافلة');
    }

    // Next: the same message now shows results 6 to 10, and the press is answered.
    const next = telegram.pressButton(reader, readerChat, messageId, first[1]!.callback_data);
    const edit = await telegram.waitForCall((call) => call.method === 'editMessageText' && Number(call.params.message_id) === messageId);
    expect(Number(edit.params.chat_id)).toBe(readerChat.id);
    expect(resultNumbers(String(edit.params.text))).toEqual([6, 7, 8, 9, 10]);
    await telegram.waitForCall((call) => call.method === 'answerCallbackQuery' && call.params.callback_query_id === next);
    const middle = buttonsOf(edit);
    expect(middle.map((button) => button.text)).toEqual(['‹ السابق', 'صفحة 2', 'التالي ›']);

    // Previous: back to 1 to 5, in the same message again; no new message was sent.
    const edits = telegram.callsOf('editMessageText').length;
    telegram.pressButton(reader, readerChat, messageId, middle[0]!.callback_data);
    await telegram.waitForCall(() => telegram.callsOf('editMessageText').length > edits);
    const back = telegram.callsOf('editMessageText')[edits]!;
    expect(Number(back.params.message_id)).toBe(messageId);
    expect(resultNumbers(String(back.params.text))).toEqual([1, 2, 3, 4, 5]);
    expect(resultNumbers(telegram.messageText(readerChat.id, messageId)!)).toEqual([1, 2, 3, 4, 5]);
    expect(telegram.callsOf('sendMessage', readerChat.id)).toHaveLength(before + 1);

    // A page the bot no longer knows (expired, or from before a restart): a polite alert, no edit.
    const editsNow = telegram.callsOf('editMessageText').length;
    const expired = telegram.pressButton(reader, readerChat, messageId, 'sp:AAAAAAAA:1');
    const expiredAnswer = await telegram.waitForCall((call) => call.method === 'answerCallbackQuery' && call.params.callback_query_id === expired);
    expect(expiredAnswer.params.text).toContain('انتهت صلاحية هذه النتائج');

    // The same button copied under another message does nothing, politely.
    const other = await telegram.ask(reader, readerChat, '/latest');
    expect(other).toContain('href');
    const otherId = Number(telegram.callsOf('sendMessage', readerChat.id).at(-1)!.result.message_id);
    const foreign = telegram.pressButton(reader, readerChat, otherId, first[1]!.callback_data);
    const foreignAnswer = await telegram.waitForCall((call) => call.method === 'answerCallbackQuery' && call.params.callback_query_id === foreign);
    expect(foreignAnswer.params.text).toContain('ليس من إجاباتي');
    expect(telegram.callsOf('editMessageText')).toHaveLength(editsNow);
  });

  it('answers an inline query with matching articles to share, paging with next_offset', async () => {
    const firstId = telegram.sendInlineQuery(sharer, 'قافلة');
    const first = await telegram.waitForCall((call) => call.method === 'answerInlineQuery' && call.params.inline_query_id === firstId);
    expect(first.params.results).toHaveLength(10);
    expect(first.params.next_offset).toBe('1');
    expect(first.params.is_personal).toBe(false);
    expect(first.params.cache_time).toBeLessThanOrEqual(60);
    const top = first.params.results[0];
    expect(top.type).toBe('article');
    const article = site.articles.find((candidate) => candidate.title === top.title)!;
    expect(top.title).toMatch(/^قافلة مساعدات رقم \d+ تصل إلى ريف إدلب$/);
    expect(top.description).toContain('مدونة هادي العبد الله');
    expect(top.input_message_content.parse_mode).toBe('HTML');
    expect(top.input_message_content.message_text).toContain(`href="${article.link}"`);

    const secondId = telegram.sendInlineQuery(sharer, 'قافلة', String(first.params.next_offset));
    const second = await telegram.waitForCall((call) => call.method === 'answerInlineQuery' && call.params.inline_query_id === secondId);
    expect(second.params.results).toHaveLength(convoys - 10);
    expect(second.params.next_offset).toBe('');
    const ids = [...first.params.results, ...second.params.results].map((result: { id: string }) => result.id);
    expect(new Set(ids).size).toBe(convoys);

    // `@bot` alone: the newest articles.
    const latestId = telegram.sendInlineQuery(sharer, '');
    const latest = await telegram.waitForCall((call) => call.method === 'answerInlineQuery' && call.params.inline_query_id === latestId);
    expect(latest.params.results.map((result: { title: string }) => result.title)).toContain('Weather: rain over the coast');
  });

  it('asks someone searching too fast to slow down, once per burst, in their language', async () => {
    const before = telegram.callsOf('sendMessage', hastyChat.id).length;
    for (let index = 0; index < 8; index++) telegram.sendText(hasty, hastyChat, index % 2 === 0 ? '/search قافلة' : 'مساعدات');
    await telegram.waitForCall(() => telegram.callsOf('sendMessage', hastyChat.id).some((call) => String(call.params.text).includes('too fast')));
    // Every one of the 8 is either answered with results or logged as held back: then all were handled.
    const limitedLogs = (msg: string, userId: number) => bot.logs.filter((line) => line.msg === msg && line.userId === userId);
    await waitUntil(
      () =>
        telegram.callsOf('sendMessage', hastyChat.id).slice(before).filter((call) => String(call.params.text).includes('href')).length +
          limitedLogs('search rate limited', hasty.id).length >=
        8,
      'all 8 searches were handled',
    );
    const texts = telegram.callsOf('sendMessage', hastyChat.id).slice(before).map((call) => String(call.params.text));
    expect(texts.filter((text) => text.includes('too fast'))).toHaveLength(1);
    const answered = texts.filter((text) => text.includes('href')).length;
    expect(answered).toBeGreaterThanOrEqual(3);
    expect(answered).toBeLessThanOrEqual(4);
    expect(bot.logs.filter((line) => line.msg === 'search rate limited' && line.userId === hasty.id).length).toBeGreaterThanOrEqual(4);

    // Inline queries share the budget: a fast typist sees one "wait" button, later ones go unanswered.
    const ids = Array.from({ length: 6 }, (_, index) => telegram.sendInlineQuery(hastyInline, 'قافلة'.slice(0, index + 1)));
    await telegram.waitForCall((call) => call.method === 'answerInlineQuery' && call.params.inline_query_id === ids[0]);
    const inlineAnswers = () => telegram.callsOf('answerInlineQuery').filter((call) => ids.includes(call.params.inline_query_id));
    // Handled: answered with results, or logged as held back (and, for the one warning, answered with its button).
    await waitUntil(() => {
      const held = limitedLogs('inline search rate limited', hastyInline.id);
      const answered = inlineAnswers();
      return (
        answered.filter((call) => !call.params.button).length + held.length >= 6 &&
        answered.filter((call) => call.params.button).length >= held.filter((line) => line.decision === 'warn').length
      );
    }, 'all 6 inline queries were handled');
    const answers = inlineAnswers();
    const warnings = answers.filter((call) => call.params.button);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.params.button.text).toContain('انتظر');
    expect(warnings[0]!.params.results).toEqual([]);
    expect(answers.length).toBeLessThanOrEqual(5);
  });

  it('stops cleanly', async () => {
    const { code } = await bot.stop('SIGTERM');
    expect(code).toBe(0);
    expect(bot.logs.filter((line) => line.level !== undefined && line.level >= 50)).toEqual([]);
  });
});
