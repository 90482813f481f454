import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { negotiateLocale } from '../../src/bot/create-i18n.js';
import type { FakeChat, FakeUser } from '../helpers/fake-telegram.js';
import { InProcessBot } from '../helpers/in-process-bot.js';

const reader: FakeUser = { id: 801, first_name: 'Reader', language_code: 'en' };
const readerChat: FakeChat = { id: reader.id, type: 'private', first_name: 'Reader' };
const admin: FakeUser = { id: 802, first_name: 'Admin', language_code: 'en' };
const member: FakeUser = { id: 803, first_name: 'Member', language_code: 'en' };
const anonymousAdmin: FakeUser = { id: 1087968824, first_name: 'Group', username: 'GroupAnonymousBot' };
const group: FakeChat = { id: -1004000000001, type: 'supergroup', title: 'Readers' };
const channel: FakeChat = { id: -1004000000002, type: 'channel', title: 'News', username: 'the_news' };

const arabic = /[\u0600-\u06ff]/;

describe('/lang: a chat’s language (lang feature)', () => {
  let app: InProcessBot;

  beforeEach(async () => {
    app = await InProcessBot.start({ defaultLocale: 'en' });
    app.telegram.addChat(group);
    app.telegram.addChat(channel);
    app.telegram.setMember(group.id, admin.id, 'administrator');
    app.telegram.setMember(group.id, member.id, 'member');
  });
  afterEach(async () => {
    await app.close();
  });

  const lastReply = (chat: FakeChat) => String(app.telegram.callsOf('sendMessage', chat.id).at(-1)?.params.text);

  it('shows the current language and the choices', async () => {
    await app.sendText(reader, readerChat, '/lang');
    expect(lastReply(readerChat)).toContain('The language here: automatic.');
    expect(lastReply(readerChat)).toContain('<code>/lang ar</code>');
    expect(lastReply(readerChat)).toContain('<code>/lang auto</code>');
  });

  it('answers in Arabic from the moment a private chat chooses it, whatever the user’s Telegram language, and back', async () => {
    await app.sendText(reader, readerChat, '/lang ar');
    expect(lastReply(readerChat)).toMatch(arabic);
    expect(lastReply(readerChat)).toContain('العربية');
    expect((await app.store.getChatSettings(reader.id)).language).toBe('ar');

    await app.sendText(reader, readerChat, '/help');
    expect(lastReply(readerChat)).toContain('<b>نشرة</b>');
    await app.sendText(reader, readerChat, '/lang');
    expect(lastReply(readerChat)).toContain('اللغة هنا: العربية');

    await app.sendText(reader, readerChat, '/lang en');
    expect(lastReply(readerChat)).toBe('From now on I answer here in English.');
    await app.sendText(reader, readerChat, '/lang auto');
    expect(lastReply(readerChat)).toContain('each person’s own Telegram language');
    expect((await app.store.getChatSettings(reader.id)).language).toBeNull();

    // Automatic again: the user's own language_code decides.
    await app.sendText({ ...reader, language_code: 'ar' }, readerChat, '/help');
    expect(lastReply(readerChat)).toContain('<b>نشرة</b>');
    await app.sendText(reader, readerChat, '/help');
    expect(lastReply(readerChat)).toContain('<b>nashra</b>');
  });

  it('in a group, lets an administrator set the language for everyone there, and refuses a plain member', async () => {
    await app.sendText(member, group, '/lang ar');
    expect(lastReply(group)).toBe('Only an administrator of this chat may change its language.');
    expect((await app.store.getChatSettings(group.id)).language).toBeNull();

    await app.sendText(admin, group, '/lang ar');
    expect((await app.store.getChatSettings(group.id)).language).toBe('ar');
    expect((await app.store.getChat(group.id))?.title).toBe('Readers');

    // A member whose Telegram is in English now gets Arabic answers in this group, and English in private.
    await app.sendText(member, group, '/sources');
    expect(lastReply(group)).toMatch(arabic);
    await app.sendText(member, { id: member.id, type: 'private', first_name: 'Member' }, '/sources');
    expect(String(app.telegram.callsOf('sendMessage', member.id).at(-1)?.params.text)).not.toMatch(arabic);
  });

  it('lets an anonymous group administrator and a channel post set the language', async () => {
    await app.sendText(anonymousAdmin, group, '/lang en', { sender_chat: group });
    expect((await app.store.getChatSettings(group.id)).language).toBe('en');
    await app.sendText(null, channel, '/lang ar', { sender_chat: channel });
    expect((await app.store.getChatSettings(channel.id)).language).toBe('ar');
    expect(lastReply(channel)).toMatch(arabic);
  });

  it('answers a wrong choice with the usage and changes nothing', async () => {
    await app.sendText(reader, readerChat, '/lang fr');
    expect(lastReply(readerChat)).toContain('Choose with');
    await app.sendText(reader, readerChat, '/lang toString');
    expect(lastReply(readerChat)).toContain('Choose with');
    await app.sendText(reader, readerChat, '/lang ar en');
    expect(lastReply(readerChat)).toContain('Choose with');
    expect((await app.store.getChatSettings(reader.id)).language).toBeNull();
    expect(app.logged('update failed')).toEqual([]);
  });
});

describe('the language of an answer (negotiateLocale)', () => {
  it.each([
    ['ar', 'en', 'en', 'ar'],
    ['en', 'ar-EG', 'ar', 'en'],
    [null, 'ar-EG', 'en', 'ar'],
    [null, 'EN_us', 'ar', 'en'],
    [null, 'fr', 'ar', 'ar'],
    [undefined, undefined, 'en', 'en'],
  ] as const)('chat %s, user %s, default %s: %s', (chat, user, fallback, expected) => {
    expect(negotiateLocale(chat, user, fallback)).toBe(expected);
  });
});
