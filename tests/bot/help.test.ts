import { afterEach, describe, expect, it } from 'vitest';
import type { FakeChat, FakeUser } from '../helpers/fake-telegram.js';
import { InProcessBot } from '../helpers/in-process-bot.js';

const english: FakeUser = { id: 801, first_name: 'Reader', language_code: 'en-GB' };
const arabic: FakeUser = { id: 802, first_name: 'قارئ', language_code: 'ar' };
const french: FakeUser = { id: 803, first_name: 'Lecteur', language_code: 'fr' };
const privateChat = (user: FakeUser): FakeChat => ({ id: user.id, type: 'private', first_name: user.first_name });
const group: FakeChat = { id: -1004000000001, type: 'supergroup', title: 'Readers' };

describe('/start, /help and unknown commands (help and unknown-command features)', () => {
  let app: InProcessBot;
  afterEach(async () => {
    await app?.close();
  });

  const replies = (chat: FakeChat) => app.telegram.callsOf('sendMessage', chat.id).map((call) => String(call.params.text));

  it('explains what the bot does and its commands, in English for an English speaker, naming the bot for inline search', async () => {
    app = await InProcessBot.start({ defaultLocale: 'ar' });
    for (const command of ['/start', '/help']) await app.sendText(english, privateChat(english), command);
    const [start, help] = replies(privateChat(english));
    expect(start).toBe(help);
    expect(start).toContain('<b>nashra</b> — news to your channels and groups.');
    expect(start).toContain('type @nashra_test_bot and words');
    for (const command of ['/search', '/latest', '/sources', '/subscribe', '/subscriptions', '/manage', '/lang']) expect(start).toContain(command);
    const call = app.telegram.callsOf('sendMessage', english.id)[0]!;
    expect(call.params.parse_mode).toBe('HTML');
  });

  it('answers in Arabic for an Arabic speaker, and in the default language for anyone else', async () => {
    app = await InProcessBot.start({ defaultLocale: 'ar' });
    await app.sendText(arabic, privateChat(arabic), '/help');
    await app.sendText(french, privateChat(french), '/help');
    const [inArabic] = replies(privateChat(arabic));
    expect(inArabic).toMatch(/[\u0621-\u064a]{3}/);
    expect(inArabic).toContain('@nashra_test_bot');
    expect(replies(privateChat(french))).toEqual([inArabic]);
  });

  it('answers /help@bot in a group, in the sender’s language', async () => {
    app = await InProcessBot.start({ defaultLocale: 'ar' });
    await app.sendText(english, group, '/help@nashra_test_bot');
    expect(replies(group)).toHaveLength(1);
    expect(replies(group)[0]).toContain('news to your channels and groups');
  });

  it('points to /help for a command it does not know in a private chat, and stays quiet about one in a group', async () => {
    app = await InProcessBot.start({ defaultLocale: 'en' });
    await app.sendText(english, privateChat(english), '/frobnicate now');
    expect(replies(privateChat(english))).toEqual(['I do not know that command. /help lists what I can do.']);
    await app.sendText(english, group, '/frobnicate');
    expect(replies(group)).toEqual([]);
    // A known command is not also answered as unknown.
    await app.sendText(english, privateChat(english), '/help');
    expect(replies(privateChat(english))).toHaveLength(2);
    expect(app.logged('update failed')).toEqual([]);
  });
});
