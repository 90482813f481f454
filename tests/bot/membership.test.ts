import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeChat, FakeUser } from '../helpers/fake-telegram.js';
import { upgradeGraceMs } from '../../src/bot/features/membership.js';
import { InProcessBot, type MemberState } from '../helpers/in-process-bot.js';
import { waitUntil } from '../helpers/wait-until.js';
import { recordAndQueuePosts } from '../../src/pipeline/record-items.js';

const owner: FakeUser = { id: 501, first_name: 'Owner', language_code: 'en' };
const ownerChat: FakeChat = { id: owner.id, type: 'private', first_name: 'Owner' };
const editor: FakeUser = { id: 502, first_name: 'Editor', language_code: 'en' };
const editorChat: FakeChat = { id: editor.id, type: 'private', first_name: 'Editor' };
const channel: FakeChat = { id: -1001000000001, type: 'channel', title: 'Idlib News', username: 'idlib_news' };
const group: FakeChat = { id: -1001000000002, type: 'supergroup', title: 'Readers' };

const left: MemberState = { status: 'left' };
const poster: MemberState = { status: 'administrator', can_post_messages: true };
const adminNoPost: MemberState = { status: 'administrator', can_post_messages: false };

describe('the bot’s own membership in channels and groups (membership feature)', () => {
  let app: InProcessBot;
  let sourceId: number;

  beforeEach(async () => {
    app = await InProcessBot.start();
    const { telegram } = app;
    telegram.addChat(channel);
    telegram.addChat(group);
    telegram.setMember(channel.id, owner.id, 'creator');
    telegram.setMember(channel.id, editor.id, 'administrator', { can_post_messages: false });
    sourceId = (await app.store.addSource({ url: 'https://a.example/feed', feedUrl: 'https://a.example/feed', title: 'A' })).source.id;
  });
  afterEach(async () => {
    await app.close();
  });

  /** The private message the bot sent `user`, with its message id. */
  function privateMessages(user: FakeUser) {
    return app.telegram.callsOf('sendMessage', user.id);
  }

  it('tells whoever made it a channel administrator how to subscribe, with a button that subscribes every source', async () => {
    await app.changeBotMembership(owner, channel, left, poster);
    const [hint] = privateMessages(owner);
    expect(hint).toBeDefined();
    expect(String(hint!.params.text)).toContain('@idlib_news');
    expect(String(hint!.params.text)).toContain('<code>/subscribe @idlib_news 1 3</code>');
    const button = hint!.params.reply_markup.inline_keyboard[0][0];
    expect(button.callback_data).toBe(`subscribe-chat:${channel.id}`);
    expect(await app.store.listSubscriptions(channel.id)).toEqual([]);

    await app.pressButton(owner, ownerChat, hint!.result.message_id, button.callback_data);
    const subs = await app.store.listSubscriptions(channel.id);
    expect(subs.map((sub) => [sub.sourceId, sub.subscribedBy, sub.paused])).toEqual([[null, owner.id, false]]);
    expect(app.telegram.messageText(owner.id, hint!.result.message_id)).toContain('all sources');
    expect(app.telegram.callsOf('answerCallbackQuery')).toHaveLength(1);
    expect(app.logged('update failed')).toEqual([]);
  });

  it('says nothing when made a channel administrator without the right to post', async () => {
    await app.changeBotMembership(owner, channel, left, adminNoPost);
    expect(privateMessages(owner)).toHaveLength(0);
  });

  it('reads rights again when the button is pressed: an administrator who may not post is refused', async () => {
    await app.changeBotMembership(owner, channel, left, poster);
    await app.pressButton(editor, editorChat, privateMessages(owner)[0]!.result.message_id, `subscribe-chat:${channel.id}`);
    expect(await app.store.listSubscriptions(channel.id)).toEqual([]);
    expect(String(privateMessages(editor)[0]?.params.text)).toContain('You are not an administrator of @idlib_news');
  });

  it('refuses the button once the bot may no longer post in the channel', async () => {
    await app.changeBotMembership(owner, channel, left, poster);
    const messageId = privateMessages(owner)[0]!.result.message_id;
    await app.changeBotMembership(owner, channel, poster, adminNoPost);
    await app.pressButton(owner, ownerChat, messageId, `subscribe-chat:${channel.id}`);
    expect(await app.store.listSubscriptions(channel.id)).toEqual([]);
    expect(String(privateMessages(owner).at(-1)?.params.text)).toContain('I am not an administrator of @idlib_news');
  });

  it('logs and skips the hint when the person who added it never started the bot (403)', async () => {
    app.telegram.answerNext('sendMessage', () => ({
      ok: false,
      error_code: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    }));
    await app.changeBotMembership(owner, channel, left, poster);
    expect(privateMessages(owner)).toHaveLength(1);
    expect(app.logged('could not tell who added the bot; skipped')).toHaveLength(1);
    expect(app.logged('update failed')).toEqual([]);
    expect(app.telegram.callsOf('sendMessage', channel.id)).toHaveLength(0);
  });

  it('pauses a subscribed channel at once when removed, and resumes it with the waiting posts when added back', async () => {
    await app.store.upsertChat({ id: channel.id, kind: 'channel', title: 'Idlib News', username: 'idlib_news' });
    await app.store.subscribe(channel.id, 'all', owner.id);
    const item = (key: string) => ({ key, headline: key, link: null, publishedAt: null, searchTitle: key, searchBody: '' });
    await recordAndQueuePosts(app.store, sourceId, [item('before')]);

    await app.changeBotMembership(owner, channel, poster, { status: 'left' });
    expect(await app.store.chatPausedReason(channel.id)).toContain('left');
    expect((await app.store.listSubscriptions(channel.id))[0]?.paused).toBe(true);
    expect(await app.store.claimDueDeliveries({ now: new Date(), limit: 10 })).toEqual([]);
    // Articles that arrive while the bot is out are not queued for the channel.
    expect((await recordAndQueuePosts(app.store, sourceId, [item('while-out')])).queuedDeliveries).toBe(0);

    await app.changeBotMembership(owner, channel, { status: 'left' }, poster);
    expect(await app.store.chatPausedReason(channel.id)).toBeNull();
    const claimed = await app.store.claimDueDeliveries({ now: new Date(), limit: 10 });
    expect(claimed.map((delivery) => delivery.headline)).toEqual(['before']);
    const [resumed] = privateMessages(owner);
    expect(String(resumed?.params.text)).toContain('again');
    expect(resumed?.params.reply_markup).toBeUndefined();
  });

  it('pauses a channel when the bot loses the right to post, though it stays an administrator', async () => {
    await app.store.upsertChat({ id: channel.id, kind: 'channel', title: null, username: null });
    await app.store.subscribe(channel.id, 'all', owner.id);
    await app.changeBotMembership(owner, channel, poster, adminNoPost);
    expect((await app.store.listSubscriptions(channel.id))[0]?.paused).toBe(true);
  });

  it('pauses a group that mutes the bot, and tells whoever lets it speak again that posting resumed', async () => {
    await app.store.upsertChat({ id: group.id, kind: 'supergroup', title: 'Readers', username: null });
    await app.store.subscribe(group.id, 'all', owner.id);
    await app.changeBotMembership(owner, group, { status: 'member' }, { status: 'restricted', is_member: true, can_send_messages: false });
    expect((await app.store.listSubscriptions(group.id))[0]?.paused).toBe(true);
    await app.changeBotMembership(owner, group, { status: 'restricted', is_member: true, can_send_messages: false }, { status: 'member' });
    expect((await app.store.listSubscriptions(group.id))[0]?.paused).toBe(false);
    expect(String(privateMessages(owner)[0]?.params.text)).toContain('<b>Readers</b>');
  });

  it('keeps a group’s subscriptions when it is upgraded to a supergroup', async () => {
    const small: FakeChat = { id: -4001, type: 'group', title: 'Small' };
    const upgraded: FakeChat = { id: -1004001, type: 'supergroup', title: 'Small' };
    await app.store.upsertChat({ id: small.id, kind: 'group', title: 'Small', username: null });
    await app.store.subscribe(small.id, [sourceId], owner.id);

    await app.sendService(small, { migrate_to_chat_id: upgraded.id }, owner);
    expect(await app.store.listSubscriptions(small.id)).toEqual([]);
    expect((await app.store.listSubscriptions(upgraded.id)).map((sub) => sub.sourceId)).toEqual([sourceId]);
    expect((await app.store.getChat(upgraded.id))?.kind).toBe('supergroup');
    // The new supergroup's own service message finds nothing left to move.
    await app.sendService(upgraded, { migrate_from_chat_id: small.id }, owner);
    expect(await app.store.listSubscriptions(upgraded.id)).toHaveLength(1);
    expect(app.logged('update failed')).toEqual([]);
  });
});

describe('a group upgraded to a supergroup (membership feature)', () => {
  let app: InProcessBot;
  let sourceId: number;
  const small: FakeChat = { id: -4002, type: 'group', title: 'Small' };
  const upgraded: FakeChat = { id: -1004002, type: 'supergroup', title: 'Small' };
  const member: MemberState = { status: 'member' };

  beforeEach(async () => {
    app = await InProcessBot.start();
    app.telegram.addChat(upgraded);
    app.telegram.setMember(upgraded.id, owner.id, 'creator');
    sourceId = (await app.store.addSource({ url: 'https://a.example/feed', feedUrl: 'https://a.example/feed', title: 'A' })).source.id;
  });
  afterEach(async () => {
    await app.close();
  });

  async function subscribeSmallGroup(): Promise<void> {
    await app.store.upsertChat({ id: small.id, kind: 'group', title: 'Small', username: null });
    await app.store.subscribe(small.id, [sourceId], owner.id);
    await app.store.updateChatSettings(small.id, { excludeWords: ['رياضة'] });
  }

  it('offers no subscribe hint when the bot’s join of the new supergroup is handled before the subscriptions move', async () => {
    await subscribeSmallGroup();
    const joining = app.changeBotMembership(owner, upgraded, left, member);
    // The join is waiting to learn whether the supergroup is an upgraded group; the old group says it is.
    await waitUntil(() => app.logs.some((line) => String(line.msg).startsWith('bot joined a supergroup; waiting')), 'the join waits for an upgrade');
    await app.sendService(small, { migrate_to_chat_id: upgraded.id }, owner);
    await joining;
    await app.sendService(upgraded, { migrate_from_chat_id: small.id }, owner);

    expect(app.telegram.callsOf('sendMessage')).toEqual([]);
    expect(app.logged('group was upgraded and is subscribed; nothing to tell')).toHaveLength(1);
    const subs = await app.store.listSubscriptions(upgraded.id);
    expect(subs.map((sub) => [sub.sourceId, sub.paused])).toEqual([[sourceId, false]]);
    // The old group's record moved whole, with its settings, and the chat is now a supergroup.
    expect((await app.store.getChatSettings(upgraded.id)).excludeWords).toEqual(['رياضة']);
    expect((await app.store.getChat(upgraded.id))?.kind).toBe('supergroup');
    expect(await app.store.getChat(small.id)).toBeNull();
    expect(app.logged('update failed')).toEqual([]);
  });

  it('tells nobody anything when the join comes after the subscriptions moved', async () => {
    await subscribeSmallGroup();
    await app.sendService(small, { migrate_to_chat_id: upgraded.id }, owner);
    await app.sendService(upgraded, { migrate_from_chat_id: small.id }, owner);
    const started = Date.now();
    await app.changeBotMembership(owner, upgraded, left, member);
    // Known at once: the join does not wait.
    expect(Date.now() - started).toBeLessThan(1000);
    expect(app.telegram.callsOf('sendMessage')).toEqual([]);
    expect((await app.store.listSubscriptions(upgraded.id)).map((sub) => sub.sourceId)).toEqual([sourceId]);
  });

  it('still offers the hint, for the new chat id, when the upgraded group was not subscribed', async () => {
    await app.store.upsertChat({ id: small.id, kind: 'group', title: 'Small', username: null });
    await app.sendService(small, { migrate_to_chat_id: upgraded.id }, owner);
    await app.changeBotMembership(owner, upgraded, left, member);
    const [hint] = app.telegram.callsOf('sendMessage', owner.id);
    expect(hint?.params.reply_markup.inline_keyboard[0][0].callback_data).toBe(`subscribe-chat:${upgraded.id}`);
  });

  it('offers the hint when the bot is added to a supergroup that was never a group, once the wait is over', async () => {
    const started = Date.now();
    await app.changeBotMembership(owner, upgraded, left, member);
    expect(Date.now() - started).toBeGreaterThanOrEqual(upgradeGraceMs - 50);
    const [hint] = app.telegram.callsOf('sendMessage', owner.id);
    expect(String(hint?.params.text)).toContain('<b>Small</b>');
    expect(hint?.params.reply_markup.inline_keyboard[0][0].callback_data).toBe(`subscribe-chat:${upgraded.id}`);
  });
});
