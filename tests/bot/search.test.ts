import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pageButtonData } from '../../src/bot/search-pages.js';
import { toNewItems } from '../../src/pipeline/to-new-item.js';
import type { FakeChat, FakeUser, RecordedCall } from '../helpers/fake-telegram.js';
import { InProcessBot } from '../helpers/in-process-bot.js';

const reader: FakeUser = { id: 701, first_name: 'Reader', language_code: 'en' };
const readerChat: FakeChat = { id: reader.id, type: 'private', first_name: 'Reader' };
const stranger: FakeUser = { id: 702, first_name: 'Stranger', language_code: 'en' };
const groupAdmin: FakeUser = { id: 703, first_name: 'Admin', language_code: 'ar' };
const anonymousAdmin: FakeUser = { id: 1087968824, first_name: 'Group', username: 'GroupAnonymousBot' };
const group: FakeChat = { id: -1003000000001, type: 'supergroup', title: 'Readers' };
const channel: FakeChat = { id: -1003000000002, type: 'channel', title: 'News', username: 'the_news' };

/** Twelve articles about a convoy (three pages of five), one about something else. */
const articles = [
  ...Array.from({ length: 12 }, (_, i) => ({
    key: `convoy-${i}`,
    title: `Aid convoy number ${i + 1} reaches Idlib`,
    link: `https://news.example/convoy-${i + 1}`,
    html: '<p>Trucks crossed the border at dawn.</p>',
    imageUrl: null,
    publishedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
  })),
  { key: 'losses', title: 'روسيا تقر بخسائرها في إدلب', link: 'https://news.example/losses', html: '<p>بيان</p>', publishedAt: null, imageUrl: null },
];

describe('/search and its page buttons (search feature)', () => {
  let app: InProcessBot;

  beforeEach(async () => {
    app = await InProcessBot.start();
    const { telegram, store } = app;
    telegram.addChat(group);
    telegram.addChat(channel);
    telegram.setMember(group.id, groupAdmin.id, 'administrator');
    telegram.setMember(group.id, stranger.id, 'member');
    telegram.setMember(channel.id, groupAdmin.id, 'creator');
    const { source } = await store.addSource({ url: 'https://news.example/feed', feedUrl: 'https://news.example/feed', title: 'News Example' });
    await store.recordItems(source.id, toNewItems(articles, { signatures: [] }));
  });
  afterEach(async () => {
    await app.close();
  });

  const sent = (chat: FakeChat) => app.telegram.callsOf('sendMessage', chat.id);
  const lastText = (chat: FakeChat) => String(sent(chat).at(-1)?.params.text);
  /** The numbers that start the result lines of a page ("1.", "2.", …). */
  const resultNumbers = (text: string) => [...text.matchAll(/^(\d+)\. /gm)].map((match) => Number(match[1]));
  const buttons = (call: RecordedCall | undefined): Array<{ text: string; callback_data: string }> =>
    call?.params.reply_markup?.inline_keyboard?.[0] ?? [];
  const callbackAnswers = () => app.telegram.callsOf('answerCallbackQuery').map((call) => call.params);

  it('answers a bare /search with how to search', async () => {
    await app.sendText(reader, readerChat, '/search');
    expect(lastText(readerChat)).toContain('Send the words to look for');
  });

  it('lists the best matches five at a time, linked, with the query echoed and the source named', async () => {
    await app.sendText(reader, readerChat, '/search convoy');
    const [answer] = sent(readerChat);
    const text = String(answer?.params.text);
    expect(text.split('\n')[0]).toBe('Results for “convoy”:');
    expect(resultNumbers(text)).toEqual([1, 2, 3, 4, 5]);
    expect(text.match(/<a href="https:\/\/news\.example\/convoy-\d+">/g)).toHaveLength(5);
    expect(text).toContain('News Example');
    expect(text).not.toContain('news.example/losses');
    expect(buttons(answer).map((button) => button.text)).toEqual(['Page 1', 'Next ›']);
  });

  it('finds an Arabic word in its prefixed form, and sends one plain answer when one page holds everything', async () => {
    await app.sendText(reader, readerChat, '/search خسائر');
    const [answer] = sent(readerChat);
    expect(String(answer?.params.text)).toContain('https://news.example/losses');
    expect(answer?.params.reply_markup).toBeUndefined();
  });

  it('says nothing was found, echoing the words escaped', async () => {
    await app.sendText(reader, readerChat, '/search <zebra>');
    expect(lastText(readerChat)).toBe('Nothing found for “&lt;zebra&gt;”. Try fewer or other words.');
  });

  it('takes plain text in a private chat as a search, but not in a group', async () => {
    await app.sendText(reader, readerChat, 'convoy');
    expect(resultNumbers(lastText(readerChat))).toEqual([1, 2, 3, 4, 5]);
    await app.sendText(reader, group, 'convoy');
    expect(sent(group)).toEqual([]);
  });

  it('turns the page in the same message when the searcher presses Next, then Previous', async () => {
    await app.sendText(reader, readerChat, '/search convoy');
    const answer = sent(readerChat)[0]!;
    const messageId = answer.result.message_id as number;
    const next = buttons(answer).find((button) => button.text === 'Next ›')!;

    await app.pressButton(reader, readerChat, messageId, next.callback_data);
    const [edit] = app.telegram.callsOf('editMessageText');
    expect(resultNumbers(app.telegram.messageText(reader.id, messageId)!)).toEqual([6, 7, 8, 9, 10]);
    expect(buttons(edit).map((button) => button.text)).toEqual(['‹ Previous', 'Page 2', 'Next ›']);
    expect(callbackAnswers()).toHaveLength(1);

    await app.pressButton(reader, readerChat, messageId, buttons(edit)[2]!.callback_data);
    expect(resultNumbers(app.telegram.messageText(reader.id, messageId)!)).toEqual([11, 12]);
    expect(buttons(app.telegram.callsOf('editMessageText')[1]).map((button) => button.text)).toEqual(['‹ Previous', 'Page 3']);
    // One message all along: the pages were edits.
    expect(sent(readerChat)).toHaveLength(1);
  });

  it('lets only the user who searched turn the pages in a group: anyone else gets a short answer and nothing changes', async () => {
    await app.sendText(reader, group, '/search convoy');
    const answer = sent(group)[0]!;
    const messageId = answer.result.message_id as number;
    const before = app.telegram.messageText(group.id, messageId);
    const next = buttons(answer).find((button) => button.text === 'Next ›')!;

    for (const presser of [stranger, groupAdmin]) await app.pressButton(presser, group, messageId, next.callback_data);
    expect(app.telegram.callsOf('editMessageText')).toEqual([]);
    expect(app.telegram.messageText(group.id, messageId)).toBe(before);
    const refusals = callbackAnswers();
    expect(refusals.map((answer) => answer.text)).toEqual([
      'Only whoever searched can turn these pages. Send /search with your own words.',
      'وحده من أجرى البحث يستطيع تقليب هذه الصفحات. أرسل /search مع كلماتك.',
    ]);
    expect(refusals.every((answer) => !answer.show_alert)).toBe(true);

    await app.pressButton(reader, group, messageId, next.callback_data);
    expect(resultNumbers(app.telegram.messageText(group.id, messageId)!)).toEqual([6, 7, 8, 9, 10]);
    expect(app.logged('update failed')).toEqual([]);
  });

  it('lets the group’s administrators turn the pages of a search an anonymous administrator made as the group', async () => {
    await app.sendText(anonymousAdmin, group, '/search convoy', { sender_chat: group });
    const answer = sent(group)[0]!;
    const messageId = answer.result.message_id as number;
    const next = buttons(answer).find((button) => button.text === 'Next ›')!;

    await app.pressButton(stranger, group, messageId, next.callback_data);
    expect(app.telegram.callsOf('editMessageText')).toEqual([]);
    expect(callbackAnswers()[0]?.text).toContain('Only whoever searched');

    await app.pressButton(groupAdmin, group, messageId, next.callback_data);
    expect(resultNumbers(app.telegram.messageText(group.id, messageId)!)).toEqual([6, 7, 8, 9, 10]);
  });

  it('lets a channel’s administrators, not its readers, turn the pages of a search posted in the channel', async () => {
    await app.sendText(null, channel, '/search convoy', { sender_chat: channel });
    const answer = sent(channel)[0]!;
    const messageId = answer.result.message_id as number;
    const next = buttons(answer).find((button) => button.text === 'Next ›')!;

    await app.pressButton(reader, channel, messageId, next.callback_data);
    expect(app.telegram.callsOf('editMessageText')).toEqual([]);
    await app.pressButton(groupAdmin, channel, messageId, next.callback_data);
    expect(resultNumbers(app.telegram.messageText(channel.id, messageId)!)).toEqual([6, 7, 8, 9, 10]);
  });

  it('answers a button it does not know as expired, and a malformed or misplaced one as not its own', async () => {
    await app.sendText(reader, readerChat, '/search convoy');
    const answer = sent(readerChat)[0]!;
    const messageId = answer.result.message_id as number;
    const next = buttons(answer).find((button) => button.text === 'Next ›')!;

    await app.pressButton(reader, readerChat, messageId, pageButtonData('AAAAAAAA', 1));
    await app.pressButton(reader, readerChat, messageId, 'sp:broken');
    // The right button, under another message.
    await app.pressButton(reader, readerChat, messageId + 1, next.callback_data);
    expect(callbackAnswers().map((answer) => [answer.text, answer.show_alert ?? false])).toEqual([
      ['These results have expired. Please search again.', true],
      ['This button is not from one of my answers, so it does nothing.', false],
      ['This button is not from one of my answers, so it does nothing.', false],
    ]);
    expect(app.telegram.callsOf('editMessageText')).toEqual([]);
  });

  it('answers three searches in a burst, says once that the fourth is too fast, and drops the fifth', async () => {
    for (const word of ['convoy', 'Idlib', 'trucks', 'border', 'dawn']) await app.sendText(reader, readerChat, `/search ${word}`);
    const texts = sent(readerChat).map((call) => String(call.params.text));
    expect(texts).toHaveLength(4);
    expect(texts.slice(0, 3).every((text) => text.startsWith('Results for'))).toBe(true);
    expect(texts[3]).toBe('You are searching a little too fast. Please wait a moment, then try again.');
    expect(app.logged('search rate limited')).toHaveLength(2);
  });
});
