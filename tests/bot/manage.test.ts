import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inputTtlMs } from '../../src/bot/features/manage.js';
import { manageData, maxCallbackDataBytes, parseManageData, wordCheck, type ManageAction } from '../../src/bot/manage-data.js';
import type { FakeChat, FakeUser, RecordedCall } from '../helpers/fake-telegram.js';
import { InProcessBot } from '../helpers/in-process-bot.js';

const owner: FakeUser = { id: 701, first_name: 'Owner', language_code: 'en' };
const ownerChat: FakeChat = { id: owner.id, type: 'private', first_name: 'Owner' };
const editor: FakeUser = { id: 702, first_name: 'Editor', language_code: 'en' };
const editorChat: FakeChat = { id: editor.id, type: 'private', first_name: 'Editor' };
const channel: FakeChat = { id: -1003000000001, type: 'channel', title: 'Idlib News', username: 'idlib_news' };
const group: FakeChat = { id: -1003000000002, type: 'supergroup', title: 'Readers' };

interface Button {
  text: string;
  callback_data: string;
}

describe('/manage: a chat’s subscription and settings from a private chat (manage feature)', () => {
  let app: InProcessBot;
  let sources: number[];

  beforeEach(async () => {
    app = await InProcessBot.start();
    const { telegram, store } = app;
    telegram.addChat(channel);
    telegram.addChat(group);
    telegram.setMember(channel.id, owner.id, 'creator');
    telegram.setMember(channel.id, editor.id, 'administrator', { can_post_messages: false });
    telegram.setMember(channel.id, telegram.botUser.id, 'administrator', { can_post_messages: true });
    telegram.setMember(group.id, owner.id, 'administrator');
    telegram.setMember(group.id, telegram.botUser.id, 'member');
    sources = [];
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      const url = `https://${name.toLowerCase()}.example/feed`;
      sources.push((await store.addSource({ url, feedUrl: url, title: name })).source.id);
    }
    await store.upsertChat({ id: channel.id, kind: 'channel', title: 'Idlib News', username: 'idlib_news' });
    await store.subscribe(channel.id, 'all', owner.id);
  });
  afterEach(async () => {
    await app.close();
  });

  /** The menu message: /manage's answer, and the buttons it shows now (after any edits). */
  async function openMenu(user = owner, chat = ownerChat): Promise<number> {
    const before = app.telegram.callsOf('sendMessage', chat.id).length;
    await app.sendText(user, chat, '/manage');
    const sent = app.telegram.callsOf('sendMessage', chat.id)[before];
    expect(sent, 'the /manage answer').toBeDefined();
    return sent!.result.message_id as number;
  }

  /** The last call that set a message's text and keyboard: its sendMessage, or the latest edit. */
  function lastScreen(chatId: number, messageId: number): RecordedCall {
    const edits = app.telegram.callsOf('editMessageText', chatId).filter((call) => Number(call.params.message_id) === messageId);
    return edits.at(-1) ?? app.telegram.callsOf('sendMessage', chatId).find((call) => call.result?.message_id === messageId)!;
  }

  function buttonsOf(call: RecordedCall): Button[] {
    return ((call.params.reply_markup?.inline_keyboard ?? []) as Button[][]).flat();
  }

  /**
   * Presses the button of the menu message whose label contains `label`, and returns the message's text
   * after. `via`: the bot (replica) that receives the press.
   */
  async function press(messageId: number, label: string | RegExp, user = owner, chat = ownerChat, via = app): Promise<string> {
    const buttons = buttonsOf(lastScreen(chat.id, messageId));
    const button = buttons.find((candidate) => (typeof label === 'string' ? candidate.text.includes(label) : label.test(candidate.text)));
    expect(button, `a button "${label}" among ${buttons.map((b) => b.text).join(' | ')}`).toBeDefined();
    await via.pressButton(user, chat, messageId, button!.callback_data);
    return app.telegram.messageText(chat.id, messageId) ?? '';
  }

  const latestMessage = () => app.telegram.callsOf('sendMessage', owner.id).at(-1)!.result.message_id as number;
  const lastAnswer = () => app.telegram.callsOf('answerCallbackQuery').at(-1)?.params.text as string | undefined;

  it('lists the chats the user subscribed and still administers, and hides one where they no longer are', async () => {
    await app.store.upsertChat({ id: group.id, kind: 'supergroup', title: 'Readers', username: null });
    await app.store.subscribe(group.id, 'all', owner.id);
    app.telegram.setMember(group.id, owner.id, 'member');

    const menu = await openMenu();
    const first = lastScreen(owner.id, menu);
    expect(String(first.params.text)).toContain('Choose a channel or group');
    expect(String(first.params.text)).toContain('One chat you subscribed is not listed');
    expect(buttonsOf(first).map((button) => button.text)).toEqual(['Idlib News', '✖ Close']);
  });

  it('tells a user who subscribed nothing how to start, and answers /manage in a group with a pointer to the private chat', async () => {
    await app.sendText(editor, editorChat, '/manage');
    expect(String(app.telegram.callsOf('sendMessage', editor.id).at(-1)?.params.text)).toContain('You manage no chat I post to yet');
    await app.sendText(owner, group, '/manage');
    expect(String(app.telegram.callsOf('sendMessage', group.id).at(-1)?.params.text)).toContain('in a private chat (@nashra_test_bot)');
  });

  it('navigates by editing one message: the chat’s menu shows its title and current values', async () => {
    const menu = await openMenu();
    const home = await press(menu, 'Idlib News');
    expect(home).toContain('<b>Idlib News</b> (@idlib_news)');
    expect(home).toContain('Posting: ▶️ on');
    expect(home).toContain('Sources: all, including sources added later');
    expect(home).toContain('Keyword filters: 0 to include, 0 to exclude');
    expect(home).toContain('Digest: off');
    expect(home).toContain('Post style: headline and link');
    expect(home).toContain('Language of its posts: automatic');
    expect(home).toContain('Link preview: on');
    expect(home).toContain('Silent posts: off');

    const digest = await press(menu, 'Digest');
    expect(digest).toContain('Idlib News');
    expect(await press(menu, 'hourly')).toContain('Digest: hourly');
    expect(buttonsOf(lastScreen(owner.id, menu)).map((button) => button.text)).toContain('✅ hourly');
    await press(menu, 'Back');
    await press(menu, 'Post style');
    await press(menu, 'headline and summary');
    await press(menu, 'Back');
    await press(menu, 'Language');
    await press(menu, 'Arabic');
    await press(menu, 'Back');
    await press(menu, 'Preview: on');
    const after = await press(menu, 'Silent: off');

    expect(await app.store.getChatSettings(channel.id)).toMatchObject({
      digest: 'hourly',
      style: 'summary',
      language: 'ar',
      linkPreview: false,
      silent: true,
    });
    expect(after).toContain('Digest: hourly');
    expect(after).toContain('Post style: headline and summary');
    expect(after).toContain('Language of its posts: Arabic');
    expect(after).toContain('Link preview: off');
    expect(after).toContain('Silent posts: on');
    // One message the whole way: /manage's answer, edited at every press, each press answered once.
    expect(app.telegram.callsOf('sendMessage', owner.id)).toHaveLength(1);
    const edits = app.telegram.callsOf('editMessageText', owner.id);
    expect(edits).toHaveLength(12);
    expect(new Set(edits.map((call) => Number(call.params.message_id)))).toEqual(new Set([menu]));
    expect(app.telegram.callsOf('answerCallbackQuery')).toHaveLength(12);
    expect(app.logged('update failed')).toEqual([]);
  });

  it('switches sources one by one, and "all sources" back on', async () => {
    const menu = await openMenu();
    await press(menu, 'Idlib News');
    const screen = await press(menu, 'Sources');
    expect(screen).toContain('All sources are on');
    expect(buttonsOf(lastScreen(owner.id, menu)).map((button) => button.text)).toEqual(
      expect.arrayContaining(['✅ All sources, including new ones', `✅ Alpha · ${sources[0]}`, `✅ Beta · ${sources[1]}`]),
    );

    // Leaving one source of "all" keeps the others, one by one, for the same subscriber.
    await press(menu, 'Beta');
    let subs = await app.store.listSubscriptions(channel.id);
    expect(subs.map((sub) => [sub.sourceId, sub.subscribedBy])).toEqual([
      [sources[0], owner.id],
      [sources[2], owner.id],
    ]);
    expect(app.telegram.messageText(owner.id, menu)).toContain('2 of 3 sources are on');
    expect(buttonsOf(lastScreen(owner.id, menu)).map((button) => button.text)).toContain(`⬜ Beta · ${sources[1]}`);

    await press(menu, 'Gamma');
    expect((await app.store.listSubscriptions(channel.id)).map((sub) => sub.sourceId)).toEqual([sources[0]]);
    await press(menu, 'Beta');
    expect((await app.store.listSubscriptions(channel.id)).map((sub) => sub.sourceId)).toEqual([sources[0], sources[1]]);

    await press(menu, 'All sources');
    subs = await app.store.listSubscriptions(channel.id);
    expect(subs.map((sub) => sub.sourceId)).toEqual([null]);
    expect(app.telegram.messageText(owner.id, menu)).toContain('All sources are on');

    // "All" off: every source stays on, one by one; sources added later are no longer included.
    await press(menu, 'All sources');
    expect((await app.store.listSubscriptions(channel.id)).map((sub) => sub.sourceId)).toEqual(sources);
  });

  it('pauses and resumes posting, refuses to resume where the bot may not post, and keeps a pause across source changes', async () => {
    const menu = await openMenu();
    await press(menu, 'Idlib News');
    expect(await press(menu, 'Pause posting')).toContain('Posting: ⏸ paused by an administrator');
    expect(await app.store.chatPausedReason(channel.id)).toBe('paused by an admin');
    expect((await app.store.listSubscriptions(channel.id))[0]?.paused).toBe(true);

    await press(menu, 'Sources');
    await press(menu, 'Alpha');
    expect(await app.store.chatPausedReason(channel.id)).toBe('paused by an admin');
    expect((await app.store.listSubscriptions(channel.id)).every((sub) => sub.paused)).toBe(true);
    await press(menu, 'Back');

    app.telegram.setMember(channel.id, app.telegram.botUser.id, 'administrator', { can_post_messages: false });
    await press(menu, 'Resume posting');
    expect(lastAnswer()).toContain('I cannot post there');
    expect(await app.store.chatPausedReason(channel.id)).toBe('paused by an admin');

    app.telegram.setMember(channel.id, app.telegram.botUser.id, 'administrator', { can_post_messages: true });
    expect(await press(menu, 'Resume posting')).toContain('Posting: ▶️ on');
    expect(await app.store.chatPausedReason(channel.id)).toBeNull();
  });

  it('asks for a filter word as the next message, adds it as typed, and removes it with its button', async () => {
    const menu = await openMenu();
    await press(menu, 'Idlib News');
    await press(menu, 'Keyword filters');
    expect(await press(menu, 'Words to include (0)')).toContain('(none yet)');
    expect(await press(menu, 'Add a word or phrase')).toContain('Send me, as your next message');

    // Too long: refused, and the question stays open.
    await app.sendText(owner, ownerChat, 'x'.repeat(101));
    expect(String(app.telegram.callsOf('sendMessage', owner.id).at(-1)?.params.text)).toContain('up to 100');
    expect((await app.store.getChatSettings(channel.id)).includeWords).toEqual([]);

    await app.sendText(owner, ownerChat, '  خـسائر   فادحة ');
    expect((await app.store.getChatSettings(channel.id)).includeWords).toEqual(['خـسائر فادحة']);
    const added = app.telegram.callsOf('sendMessage', owner.id).at(-1)!;
    expect(String(added.params.text)).toContain('Added “خـسائر فادحة”');
    expect(String(added.params.text)).toContain('1. خـسائر فادحة');

    // The question is answered: the next plain message is a search again, not another word.
    await app.sendText(owner, ownerChat, 'convoy');
    expect(String(app.telegram.callsOf('sendMessage', owner.id).at(-1)?.params.text)).toContain('Nothing found');
    expect((await app.store.getChatSettings(channel.id)).includeWords).toEqual(['خـسائر فادحة']);

    // The list continues in the new message; its remove button takes the word out.
    const listMessage = added.result.message_id as number;
    expect(await press(listMessage, '✕ 1')).toContain('(none yet)');
    expect((await app.store.getChatSettings(channel.id)).includeWords).toEqual([]);
    expect(app.logged('update failed')).toEqual([]);
  });

  it('fills the exclude list separately, refuses a duplicate, and a command cancels the question', async () => {
    const menu = await openMenu();
    await press(menu, 'Idlib News');
    await press(menu, 'Keyword filters');
    await press(menu, 'Words to exclude');
    await press(menu, 'Add a word');
    await app.sendText(owner, ownerChat, 'Sport');
    // After an answer the menu goes on in the bot's new message, below the user's.
    await press(latestMessage(), 'Add a word');
    await app.sendText(owner, ownerChat, 'sport');
    expect(String(app.telegram.callsOf('sendMessage', owner.id).at(-1)?.params.text)).toContain('“sport” is already in the list');
    await press(latestMessage(), 'Add a word');
    await app.sendText(owner, ownerChat, '/latest');
    await app.sendText(owner, ownerChat, 'weather');
    expect(await app.store.getChatSettings(channel.id)).toMatchObject({ includeWords: [], excludeWords: ['Sport'] });
  });

  it('takes the answer on another replica than the one that asked, and answers it once', async () => {
    // Two bots built anew on one store and one stand-in API, as two processes behind one webhook:
    // the question must travel through the store, not the asking bot's memory.
    const replica = await app.startReplica();
    const menu = await openMenu();
    await press(menu, 'Idlib News');
    await press(menu, 'Keyword filters');
    await press(menu, 'Words to include');
    expect(await press(menu, 'Add a word')).toContain('Send me, as your next message');

    await replica.sendText(owner, ownerChat, 'Convoy');
    expect((await app.store.getChatSettings(channel.id)).includeWords).toEqual(['Convoy']);
    expect(String(app.telegram.callsOf('sendMessage', owner.id).at(-1)?.params.text)).toContain('Added “Convoy”');
    expect(replica.logged('manage: filter word added')).toHaveLength(1);
    const wordsMessage = latestMessage();
    // Answered: the asking bot reads the next message as a search.
    await app.sendText(owner, ownerChat, 'weather');
    expect(String(app.telegram.callsOf('sendMessage', owner.id).at(-1)?.params.text)).toContain('Nothing found');

    // A press on the replica closes a question the first bot asked: the next message is a search there too.
    await press(wordsMessage, 'Add a word');
    await press(wordsMessage, 'Cancel', owner, ownerChat, replica);
    await app.sendText(owner, ownerChat, 'sport');
    expect(String(app.telegram.callsOf('sendMessage', owner.id).at(-1)?.params.text)).toContain('Nothing found');
    expect((await app.store.getChatSettings(channel.id)).includeWords).toEqual(['Convoy']);
    expect([...app.logged('update failed'), ...replica.logged('update failed')]).toEqual([]);
  });

  it('keeps a question open five minutes by the bot’s clock, one per user: the last one asked', async () => {
    let clock = Date.parse('2025-03-01T10:00:00Z');
    const clocked = await app.startReplica({ deps: { now: () => new Date(clock) } });
    const menu = await openMenu();
    await press(menu, 'Idlib News', owner, ownerChat, clocked);
    await press(menu, 'Keyword filters', owner, ownerChat, clocked);
    await press(menu, 'Words to include', owner, ownerChat, clocked);
    await press(menu, 'Add a word', owner, ownerChat, clocked);
    expect(await app.store.openInput(owner.id, new Date(clock + inputTtlMs - 1))).toEqual({ chatId: channel.id, list: 'include' });
    expect(await app.store.openInput(owner.id, new Date(clock + inputTtlMs))).toBeNull();
    expect(inputTtlMs).toBe(5 * 60_000);

    // Asked again for the other list (an older menu's button): that question replaces the first.
    await clocked.pressButton(owner, ownerChat, menu, manageData({ kind: 'add-word', chatId: channel.id, list: 'exclude' }));
    expect(await app.store.openInput(owner.id, new Date(clock))).toEqual({ chatId: channel.id, list: 'exclude' });
    // Another user's message is not their answer.
    await clocked.sendText(editor, editorChat, 'rain');
    expect(String(app.telegram.callsOf('sendMessage', editor.id).at(-1)?.params.text)).toContain('Nothing found');

    clock += inputTtlMs - 1;
    await clocked.sendText(owner, ownerChat, 'Sport');
    expect(await app.store.getChatSettings(channel.id)).toMatchObject({ includeWords: [], excludeWords: ['Sport'] });

    // Five minutes after the question, a message is an ordinary message (a search) again.
    await press(latestMessage(), 'Add a word', owner, ownerChat, clocked);
    clock += inputTtlMs;
    await clocked.sendText(owner, ownerChat, 'weather');
    expect(String(app.telegram.callsOf('sendMessage', owner.id).at(-1)?.params.text)).toContain('Nothing found');
    expect((await app.store.getChatSettings(channel.id)).excludeWords).toEqual(['Sport']);
  });

  it('keeps both words when two admins add one to the same list at the same moment, on two replicas', async () => {
    app.telegram.setMember(channel.id, editor.id, 'administrator', { can_post_messages: true });
    // As on PostgreSQL, reading a chat's settings takes a while: both replicas read the list before
    // either writes, so a word added to the list as read would be lost.
    const slowReads = new Proxy(app.store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (name !== 'getChatSettings' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const settings = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          await new Promise((resolve) => setTimeout(resolve, 30));
          return settings;
        };
      },
    });
    const first = await app.startReplica({ deps: { store: slowReads } });
    const replica = await app.startReplica({ deps: { store: slowReads } });
    const ask = manageData({ kind: 'add-word', chatId: channel.id, list: 'include' });
    await first.pressButton(owner, ownerChat, await openMenu(), ask);
    await replica.pressButton(editor, editorChat, await openMenu(editor, editorChat), ask);
    await Promise.all([first.sendText(owner, ownerChat, 'Convoy'), replica.sendText(editor, editorChat, 'Rain')]);
    expect([...(await app.store.getChatSettings(channel.id)).includeWords].sort()).toEqual(['Convoy', 'Rain']);
    // Each is told of their own word, on a list that holds both or only theirs.
    expect(String(app.telegram.callsOf('sendMessage', owner.id).at(-1)?.params.text)).toContain('Added “Convoy”');
    expect(String(app.telegram.callsOf('sendMessage', editor.id).at(-1)?.params.text)).toContain('Added “Rain”');

    // The same word from both at once: added once, and the second is told it is already there.
    await first.pressButton(owner, ownerChat, latestMessage(), ask);
    await replica.pressButton(editor, editorChat, app.telegram.callsOf('sendMessage', editor.id).at(-1)!.result.message_id as number, ask);
    await Promise.all([first.sendText(owner, ownerChat, 'Sport'), replica.sendText(editor, editorChat, 'sport')]);
    expect((await app.store.getChatSettings(channel.id)).includeWords.filter((word) => word.toLowerCase() === 'sport')).toHaveLength(1);
    const told = [app.telegram.callsOf('sendMessage', owner.id).at(-1), app.telegram.callsOf('sendMessage', editor.id).at(-1)].map((call) => String(call?.params.text));
    expect(told.filter((text) => text.includes('is already in the list'))).toHaveLength(1);
    expect([...first.logged('update failed'), ...replica.logged('update failed')]).toEqual([]);
  });

  it('removes nothing when a remove button no longer names the word at its place', async () => {
    await app.store.updateChatSettings(channel.id, { excludeWords: ['one', 'two'] });
    const menu = await openMenu();
    await press(menu, 'Idlib News');
    await press(menu, 'Keyword filters');
    await press(menu, 'Words to exclude (2)');
    // Meanwhile another admin removed "one" and added "three": place 2 now holds "three", not "two".
    await app.store.updateChatSettings(channel.id, { excludeWords: ['two', 'three'] });
    const screen = await press(menu, '✕ 2');
    expect(lastAnswer()).toBe('That word is no longer in the list.');
    expect((await app.store.getChatSettings(channel.id)).excludeWords).toEqual(['two', 'three']);
    // The screen is drawn again from the store, so its buttons now name the words where they are.
    expect(screen).toContain('2. three');
    await press(menu, '✕ 2');
    expect((await app.store.getChatSettings(channel.id)).excludeWords).toEqual(['two']);
  });

  it('refuses a press from someone who is not, or no longer, an administrator who may post there', async () => {
    const menu = await openMenu();
    await press(menu, 'Idlib News');
    const digestButton = manageData({ kind: 'set-digest', chatId: channel.id, value: 'daily' });

    // An administrator of the channel without the right to post, pressing the same data in their own chat.
    const theirs = app.telegram.callsOf('sendMessage', editor.id).length;
    await app.sendText(editor, editorChat, '/manage');
    const editorMenu = app.telegram.callsOf('sendMessage', editor.id)[theirs]!.result.message_id as number;
    await app.pressButton(editor, editorChat, editorMenu, digestButton);
    expect(lastAnswer()).toBe('You are no longer an administrator there.');

    // The owner, demoted after the menu was drawn.
    app.telegram.setMember(channel.id, owner.id, 'member');
    const before = app.telegram.callsOf('editMessageText', owner.id).length;
    await press(menu, 'Digest');
    expect(lastAnswer()).toBe('You are no longer an administrator there.');
    expect(app.telegram.callsOf('editMessageText', owner.id)).toHaveLength(before);
    expect((await app.store.getChatSettings(channel.id)).digest).toBe('off');

    // The channel is hidden from their list now.
    await openMenu();
    expect(String(app.telegram.callsOf('sendMessage', owner.id).at(-1)?.params.text)).toContain('not listed');
    expect(app.logged('update failed')).toEqual([]);
  });

  it('answers a press for a chat nashra no longer knows, and one for a chat where the bot was removed', async () => {
    const menu = await openMenu();
    await app.pressButton(owner, ownerChat, menu, manageData({ kind: 'home', chatId: -1009999999999 }));
    expect(lastAnswer()).toContain('I do not know that chat any more');

    // The bot was removed from the channel: Telegram answers 403 to getChatMember there.
    app.telegram.answerNext('getChatMember', () => ({ ok: false, error_code: 403, description: 'Forbidden: bot is not a member of the channel chat' }));
    await press(menu, 'Idlib News');
    expect(lastAnswer()).toBe('You are no longer an administrator there.');
    expect(app.logged('update failed')).toEqual([]);
  });

  it('sends the screen as a new message when Telegram will no longer edit the menu', async () => {
    const menu = await openMenu();
    app.telegram.answerNext('editMessageText', () => ({ ok: false, error_code: 400, description: "Bad Request: message can't be edited" }));
    await press(menu, 'Idlib News');
    expect(lastAnswer()).toContain('too old');
    const fresh = app.telegram.callsOf('sendMessage', owner.id).at(-1)!;
    expect(fresh.result.message_id).not.toBe(menu);
    expect(String(fresh.params.text)).toContain('Posting: ▶️ on');
    expect(buttonsOf(fresh).some((button) => button.text.includes('Sources'))).toBe(true);
  });

  it('closes the menu, leaving no buttons', async () => {
    const menu = await openMenu();
    await press(menu, 'Close');
    const closed = lastScreen(owner.id, menu);
    expect(String(closed.params.text)).toContain('Menu closed');
    expect(closed.params.reply_markup).toBeUndefined();
  });

  it('shows the menu in the user’s chosen language', async () => {
    await app.sendText(owner, ownerChat, '/lang ar');
    const menu = await openMenu();
    expect(String(lastScreen(owner.id, menu).params.text)).toContain('اختر قناة أو مجموعة');
    expect(await press(menu, 'Idlib News')).toContain('المصادر: كلها');
  });
});

describe('/manage button data', () => {
  const chatId = -1009876543210123;
  const actions: ManageAction[] = [
    { kind: 'list' },
    { kind: 'close' },
    { kind: 'home', chatId },
    { kind: 'sources', chatId, page: 12 },
    { kind: 'toggle-all', chatId, page: 0 },
    { kind: 'toggle-source', chatId, sourceId: 999_999_999_999, page: 99 },
    { kind: 'pause', chatId },
    { kind: 'resume', chatId },
    { kind: 'filters', chatId },
    { kind: 'words', chatId, list: 'include' },
    { kind: 'add-word', chatId, list: 'exclude' },
    { kind: 'remove-word', chatId, list: 'exclude', index: 49, check: wordCheck('خسائر') },
    { kind: 'digest', chatId },
    { kind: 'set-digest', chatId, value: 'daily' },
    { kind: 'style', chatId },
    { kind: 'set-style', chatId, value: 'photo' },
    { kind: 'language', chatId },
    { kind: 'set-language', chatId, value: null },
    { kind: 'set-language', chatId, value: 'en' },
    { kind: 'toggle-preview', chatId },
    { kind: 'toggle-silent', chatId },
  ];

  it.each(actions.map((action) => [JSON.stringify(action), action] as const))('reads back %s, within 64 bytes', (_, action) => {
    const data = manageData(action);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(maxCallbackDataBytes);
    expect(parseManageData(data)).toEqual(action);
  });

  it.each(['m:', 'm:q', 'm:-100:h:1', 'm:abc:h', 'm:-100:zz', 'm:-100:ds:x', 'm:-100:fr:i:1:short', 'm:-100:st:1', `m:-100:s:${'9'.repeat(70)}`, 'subscribe-chat:1'])(
    'refuses %s',
    (data) => {
      expect(parseManageData(data)).toBeNull();
    },
  );

  it('gives different words different checks', () => {
    expect(wordCheck('sport')).not.toBe(wordCheck('Sport'));
    expect(wordCheck('خسائر')).toMatch(/^[0-9a-z]{6}$/);
  });
});
