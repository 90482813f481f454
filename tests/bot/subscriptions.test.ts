import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeChat, FakeUser } from '../helpers/fake-telegram.js';
import { InProcessBot } from '../helpers/in-process-bot.js';
import { recordAndQueuePosts } from '../../src/pipeline/record-items.js';

const creator: FakeUser = { id: 601, first_name: 'Creator', language_code: 'en' };
const creatorChat: FakeChat = { id: creator.id, type: 'private', first_name: 'Creator' };
const editor: FakeUser = { id: 602, first_name: 'Editor', language_code: 'en' };
const editorChat: FakeChat = { id: editor.id, type: 'private', first_name: 'Editor' };
const member: FakeUser = { id: 603, first_name: 'Member', language_code: 'en' };
const anonymousAdmin: FakeUser = { id: 1087968824, first_name: 'Group', username: 'GroupAnonymousBot' };
const channel: FakeChat = { id: -1002000000001, type: 'channel', title: 'Channel', username: 'the_channel' };
const forum: FakeChat = { id: -1002000000002, type: 'supergroup', title: 'Forum' };

describe('/subscribe and /unsubscribe rights and topics (subscriptions feature)', () => {
  let app: InProcessBot;
  let sourceId: number;

  beforeEach(async () => {
    app = await InProcessBot.start();
    const { telegram } = app;
    telegram.addChat(channel);
    telegram.addChat(forum);
    telegram.setMember(channel.id, creator.id, 'creator');
    telegram.setMember(channel.id, editor.id, 'administrator', { can_post_messages: false, can_edit_messages: true });
    telegram.setMember(channel.id, telegram.botUser.id, 'administrator', { can_post_messages: true });
    telegram.setMember(forum.id, creator.id, 'administrator');
    telegram.setMember(forum.id, member.id, 'member');
    telegram.setMember(forum.id, telegram.botUser.id, 'member');
    sourceId = (await app.store.addSource({ url: 'https://a.example/feed', feedUrl: 'https://a.example/feed', title: 'A' })).source.id;
  });
  afterEach(async () => {
    await app.close();
  });

  const lastReply = (chat: FakeChat) => String(app.telegram.callsOf('sendMessage', chat.id).at(-1)?.params.text);

  it('refuses a channel administrator without the right to post, from a private chat', async () => {
    await app.sendText(editor, editorChat, '/subscribe @the_channel');
    expect(lastReply(editorChat)).toContain('You are not an administrator of @the_channel');
    expect(await app.store.listSubscriptions(channel.id)).toEqual([]);
    await app.store.upsertChat({ id: channel.id, kind: 'channel', title: 'Channel', username: 'the_channel' });
    await app.store.subscribe(channel.id, 'all', creator.id);
    await app.sendText(editor, editorChat, '/unsubscribe @the_channel');
    expect(await app.store.listSubscriptions(channel.id)).toHaveLength(1);
  });

  it('lets the channel’s creator subscribe it from a private chat', async () => {
    await app.sendText(creator, creatorChat, `/subscribe @the_channel ${sourceId}`);
    expect(lastReply(creatorChat)).toContain('@the_channel will receive new articles from');
    expect((await app.store.listSubscriptions(channel.id)).map((sub) => [sub.sourceId, sub.threadId])).toEqual([[sourceId, null]]);
  });

  it('lets an anonymous group administrator (sending as the group) subscribe, and refuses a plain member', async () => {
    await app.sendText(member, forum, '/subscribe');
    expect(lastReply(forum)).toContain('Only an administrator');
    expect(await app.store.listSubscriptions(forum.id)).toEqual([]);
    await app.sendText(anonymousAdmin, forum, '/subscribe', { sender_chat: forum });
    expect(lastReply(forum)).toContain('all sources');
    // Credited to no one: Telegram's stand-in user for anonymous admins cannot be told anything.
    expect((await app.store.listSubscriptions(forum.id)).map((sub) => sub.subscribedBy)).toEqual([null]);
  });

  it('posts to the forum topic /subscribe was sent in, and answers in that topic', async () => {
    await app.sendText(creator, forum, '/subscribe', { message_thread_id: 77, is_topic_message: true });
    expect(app.telegram.callsOf('sendMessage', forum.id).at(-1)?.params.message_thread_id).toBe(77);
    expect((await app.store.listSubscriptions(forum.id)).map((sub) => [sub.threadId, sub.subscribedBy])).toEqual([[77, creator.id]]);
    await recordAndQueuePosts(app.store, sourceId, [{ key: 'k', headline: 'h', link: null, publishedAt: null, searchTitle: 'h', searchBody: '' }]);
    const [claimed] = await app.store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(claimed).toMatchObject({ chatId: forum.id, threadId: 77 });
  });

  it('does not take a reply’s thread in an ordinary group for a topic', async () => {
    await app.sendText(creator, forum, '/subscribe', { message_thread_id: 12 });
    expect((await app.store.listSubscriptions(forum.id))[0]?.threadId).toBeNull();
  });
});
