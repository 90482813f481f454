import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeChat, FakeUser } from '../helpers/fake-telegram.js';
import { InProcessBot } from '../helpers/in-process-bot.js';

const owner: FakeUser = { id: 961, first_name: 'Owner', language_code: 'en' };
const ownerChat: FakeChat = { id: owner.id, type: 'private', first_name: 'Owner' };
const stranger: FakeUser = { id: 962, first_name: 'Stranger', language_code: 'en' };
const strangerChat: FakeChat = { id: stranger.id, type: 'private', first_name: 'Stranger' };
const channel: FakeChat = { id: -1006000000001, type: 'channel', title: 'Daily News', username: 'daily_news' };
const group: FakeChat = { id: -1006000000002, type: 'supergroup', title: 'Readers & Friends' };

/**
 * What a chat receives, changed with /subscribe and /unsubscribe and listed with /subscriptions
 * (subscriptions feature; rights and topics are in subscriptions.test.ts).
 */
describe('/subscribe with source ids, /unsubscribe and /subscriptions (subscriptions feature)', () => {
  let app: InProcessBot;
  let ids: { relief: number; sport: number; tech: number };

  beforeEach(async () => {
    app = await InProcessBot.start();
    app.telegram.addChat(channel);
    app.telegram.addChat(group);
    app.telegram.setMember(channel.id, owner.id, 'creator');
    app.telegram.setMember(channel.id, app.telegram.botUser.id, 'administrator', { can_post_messages: true });
    app.telegram.setMember(group.id, owner.id, 'administrator');
    app.telegram.setMember(group.id, stranger.id, 'member');
    const add = async (name: string, title: string) =>
      (await app.store.addSource({ url: `https://${name}.example/feed`, feedUrl: `https://${name}.example/feed`, title })).source.id;
    ids = { relief: await add('relief', 'Relief <Web>'), sport: await add('sport', 'Sport'), tech: await add('tech', 'Tech') };
  });
  afterEach(async () => {
    await app.close();
  });

  const ask = async (from: FakeUser | null, chat: FakeChat, text: string) => {
    await app.sendText(from, chat, text);
    return String(app.telegram.callsOf('sendMessage', chat.id).at(-1)?.params.text);
  };
  const sourcesOf = async (chatId: number) => (await app.store.listSubscriptions(chatId)).map((sub) => sub.sourceId).sort();

  it('subscribes a channel to the sources it names, each once, naming them', async () => {
    expect(await ask(null, channel, `/subscribe ${ids.relief} ${ids.sport} ${ids.relief}`)).toBe(
      `This chat will receive new articles from: Relief &lt;Web&gt; (id ${ids.relief}), Sport (id ${ids.sport}).`,
    );
    expect(await sourcesOf(channel.id)).toEqual([ids.relief, ids.sport]);
    expect(await ask(null, channel, `/subscribe ${ids.sport}`)).toBe('This chat already receives that.');
    expect(await sourcesOf(channel.id)).toEqual([ids.relief, ids.sport]);
  });

  it('refuses ids that name no source, changing nothing', async () => {
    expect(await ask(null, channel, `/subscribe ${ids.tech} 99 x1`)).toBe('No source has the id x1, 99. See /sources.');
    expect(await sourcesOf(channel.id)).toEqual([]);
  });

  it('unsubscribes some sources, then everything', async () => {
    await ask(null, channel, `/subscribe ${ids.relief} ${ids.sport} ${ids.tech}`);
    expect(await ask(null, channel, `/unsubscribe ${ids.sport}`)).toBe(`This chat will no longer receive articles from sources ${ids.sport}.`);
    expect(await sourcesOf(channel.id)).toEqual([ids.relief, ids.tech]);
    expect(await ask(null, channel, `/unsubscribe ${ids.sport}`)).toBe('This chat was not subscribed to that.');
    expect(await ask(null, channel, '/unsubscribe')).toBe('This chat will no longer receive any articles.');
    expect(await sourcesOf(channel.id)).toEqual([]);
  });

  it('explains how to keep only some sources when the chat receives all of them', async () => {
    await ask(null, channel, '/subscribe');
    expect(await ask(null, channel, `/unsubscribe ${ids.sport}`)).toContain('This chat receives all sources. To receive only some, send /unsubscribe');
    expect((await app.store.listSubscriptions(channel.id)).map((sub) => sub.sourceId)).toEqual([null]);
  });

  it('lists what a group receives, for any member, and says when it is paused', async () => {
    expect(await ask(stranger, group, '/subscriptions')).toBe('This chat receives nothing yet. An administrator can send /subscribe.');
    await ask(owner, group, `/subscribe ${ids.tech} ${ids.relief}`);
    const list = await ask(stranger, group, '/subscriptions');
    expect(list.split('\n')).toEqual(['This chat receives:', `• Relief &lt;Web&gt; (id ${ids.relief})`, `• Tech (id ${ids.tech})`]);

    await app.store.pauseChat(group.id, 'bot may not post (kicked)');
    expect((await ask(stranger, group, '/subscriptions')).split('\n').at(-1)).toBe(
      '(paused: I cannot post here — make me an administrator again, then /subscribe)',
    );
  });

  it('lists, in a private chat, the chats you subscribed and what each receives', async () => {
    expect(await ask(owner, ownerChat, '/subscriptions')).toBe('You have not subscribed any chat yet. Send <code>/subscribe @channel</code>.');
    await ask(owner, ownerChat, '/subscribe @daily_news');
    await ask(owner, group, `/subscribe ${ids.sport}`);
    const text = await ask(owner, ownerChat, '/subscriptions');
    expect(text.startsWith('The chats you subscribed:\n\n')).toBe(true);
    expect(text).toContain('@daily_news\n• all sources, including future ones');
    expect(text).toContain(`<b>Readers &amp; Friends</b>\n• Sport (id ${ids.sport})`);
    // Someone else subscribed nothing.
    expect(await ask(stranger, strangerChat, '/subscriptions')).toContain('You have not subscribed any chat yet');
  });

  it('tells a private /subscribe what it needs: a chat, one the bot can see, not a private one', async () => {
    expect(await ask(owner, ownerChat, '/subscribe')).toContain('/subscribe @channel');
    expect(await ask(owner, ownerChat, '/subscribe not-a-chat!')).toContain('/subscribe @channel');
    expect(await ask(owner, ownerChat, '/subscribe @nowhere_here')).toBe(
      'I cannot see @nowhere_here. Add me to it as an administrator first, then try again.',
    );
    // A person's private chat is not something to subscribe.
    app.telegram.addChat({ id: 123456, type: 'private', first_name: 'Someone' });
    expect(await ask(owner, ownerChat, '/subscribe 123456')).toContain('/subscribe @channel');
    expect(await app.store.listChatsSubscribedBy(owner.id)).toEqual([]);
    expect(app.logged('update failed')).toEqual([]);
  });
});
