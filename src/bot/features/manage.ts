import { Composer, GrammyError, type Api } from 'grammy';
import type { ChatMember } from 'grammy/types';
import { botMayPost, userMayManage } from '../../pipeline/subscriptions.js';
import { chatSettingsLimits } from '../../store/chat-settings.js';
import type { ChatRecord, ChatSettings, ChatSettingsPatch, ChatSourcesChange, Store } from '../../store/store.js';
import { escapeHtml } from '../../text/index.js';
import type { BotContext } from '../context.js';
import { manageDataPattern, parseManageData, wordCheck, type ManageAction, type WordList } from '../manage-data.js';
import {
  askWordScreen,
  chatListScreen,
  digestScreen,
  filtersScreen,
  homeScreen,
  languageScreen,
  pausedByAdminReason,
  sourcesScreen,
  styleScreen,
  wordsScreen,
  type ManagedChat,
  type Screen,
} from '../manage-screens.js';
import { displayText } from '../render.js';
import { replyHtml } from '../reply.js';

export interface ManageFeatureDeps {
  store: Store;
  /** The clock the open questions expire by; default: the system's (tests pass their own). */
  now?: () => Date;
}

/**
 * How long "send me the word" stays open: long enough to type a phrase, short enough to be forgotten.
 * The question is kept in the store, so whichever process receives the answer knows it.
 */
export const inputTtlMs = 5 * 60_000;

/** Most chats listed by /manage (each costs a getChatMember to check the user's rights). */
const maxListedChats = 50;
/** getChatMember calls at once while listing. */
const listConcurrency = 5;

const wordListKey = { include: 'includeWords', exclude: 'excludeWords' } as const satisfies Record<WordList, keyof ChatSettings>;

/**
 * getChatMember, with Telegram's 400 (chat or user not found) and 403 (the bot is no longer in the
 * chat) read as "cannot be confirmed": null. Only a network failure throws.
 */
async function readMember(api: Api, chatId: number, userId: number): Promise<ChatMember | null> {
  try {
    return await api.getChatMember(chatId, userId);
  } catch (err) {
    if (err instanceof GrammyError && (err.error_code === 400 || err.error_code === 403)) return null;
    throw err;
  }
}

/** Runs `task` over `items`, `limit` at a time, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    results.push(...(await Promise.all(items.slice(start, start + limit).map(task))));
  }
  return results;
}

type Access = { ok: true; managed: ManagedChat } | { ok: false; reason: 'manage-chat-gone' | 'manage-not-admin' };

/**
 * /manage: from a private chat, the channels and groups a user subscribed and still administers,
 * each with a menu that edits one message as they navigate — sources, pause and resume, keyword
 * filters, digest, post style, language, link preview, silent posts. Every press reads the user's
 * rights from Telegram again (pipeline/subscriptions.ts decides) and every value from the store.
 */
export function createManageFeature(deps: ManageFeatureDeps): Composer<BotContext> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const feature = new Composer<BotContext>();

  const loadManaged = async (chat: ChatRecord): Promise<ManagedChat> => {
    const [settings, subscriptions, pausedReason] = await Promise.all([
      store.getChatSettings(chat.id),
      store.listSubscriptions(chat.id),
      store.chatPausedReason(chat.id),
    ]);
    return { chat, settings, subscriptions, pausedReason };
  };

  /** Whether the user who sent this update may manage `chatId` now, and that chat's state. */
  const access = async (ctx: BotContext, chatId: number): Promise<Access> => {
    const chat = await store.getChat(chatId);
    if (!chat || chat.kind === 'private') return { ok: false, reason: 'manage-chat-gone' };
    const member = await readMember(ctx.api, chatId, ctx.from!.id);
    if (!userMayManage(member, chat.kind)) return { ok: false, reason: 'manage-not-admin' };
    return { ok: true, managed: await loadManaged(chat) };
  };

  /** The chats the user subscribed and may still manage; those they may not are counted, not shown. */
  const chatList = async (ctx: BotContext): Promise<Screen> => {
    const userId = ctx.from!.id;
    const subscribed = (await store.listChatsSubscribedBy(userId)).map((entry) => entry.chat).filter((chat) => chat.kind !== 'private');
    const candidates = subscribed.slice(0, maxListedChats);
    const allowed = await mapLimit(candidates, listConcurrency, async (chat) => userMayManage(await readMember(ctx.api, chat.id, userId), chat.kind));
    const shown = candidates.filter((_, index) => allowed[index]);
    return chatListScreen(ctx, shown, candidates.length - shown.length);
  };

  /**
   * Changes which sources a chat receives, in one store transaction, keeping its forum topic, the
   * person credited with the subscription, and a pause (setChatSources, unlike subscribe, never resumes).
   */
  const changeSources = async (managed: ManagedChat, userId: number, change: ChatSourcesChange): Promise<void> => {
    const threadId = managed.subscriptions[0]?.threadId ?? null;
    const by = managed.subscriptions.find((sub) => sub.subscribedBy !== null)?.subscribedBy ?? userId;
    await store.setChatSources(managed.chat.id, change, { subscribedBy: by, threadId });
  };

  const updateSettings = async (managed: ManagedChat, patch: ChatSettingsPatch): Promise<ManagedChat> => ({
    ...managed,
    settings: await store.updateChatSettings(managed.chat.id, patch),
  });

  /** Does what a press asks; returns the screen to show and a short text for the press's answer. */
  const perform = async (ctx: BotContext, action: ManageAction): Promise<{ screen?: Screen; notice?: string }> => {
    if (action.kind === 'close') return { screen: { text: ctx.t('manage-closed') } };
    if (action.kind === 'list') return { screen: await chatList(ctx) };
    const found = await access(ctx, action.chatId);
    if (!found.ok) return { notice: ctx.t(found.reason) };
    const userId = ctx.from!.id;
    let managed = found.managed;
    const { chat } = managed;
    const log = ctx.log.child({ chatId: chat.id, action: action.kind });

    switch (action.kind) {
      case 'home':
        return { screen: homeScreen(ctx, managed) };

      case 'sources':
        return { screen: sourcesScreen(ctx, managed, await store.listSources(), action.page) };

      case 'toggle-all':
      case 'toggle-source': {
        const sources = await store.listSources();
        const all = managed.subscriptions.some((sub) => sub.sourceId === null);
        const on = new Set(managed.subscriptions.map((sub) => sub.sourceId));
        if (action.kind === 'toggle-all') {
          // "All" off keeps every source it covered, one by one: sources added later are no longer included.
          if (all) await changeSources(managed, userId, { dropAll: true, add: sources.map((source) => source.id) });
          else await changeSources(managed, userId, { add: 'all', remove: [...on].filter((id): id is number => id !== null) });
        } else {
          if (!sources.some((source) => source.id === action.sourceId)) {
            return { notice: ctx.t('manage-source-gone'), screen: sourcesScreen(ctx, managed, sources, action.page) };
          }
          if (all) {
            const rest = sources.map((source) => source.id).filter((id) => id !== action.sourceId);
            await changeSources(managed, userId, { dropAll: true, add: rest });
          } else if (on.has(action.sourceId)) {
            await changeSources(managed, userId, { remove: [action.sourceId] });
          } else {
            await changeSources(managed, userId, { add: [action.sourceId] });
          }
        }
        log.info({ sourceId: action.kind === 'toggle-source' ? action.sourceId : 'all', wasAll: all }, 'manage: sources changed');
        managed = await loadManaged(chat);
        return { screen: sourcesScreen(ctx, managed, sources, action.page) };
      }

      case 'pause':
        if (managed.pausedReason === null) {
          await store.pauseChat(chat.id, pausedByAdminReason);
          log.info('manage: posting paused');
          managed = await loadManaged(chat);
        }
        return { screen: homeScreen(ctx, managed) };

      case 'resume': {
        if (managed.pausedReason === null) return { screen: homeScreen(ctx, managed) };
        // Resuming where the bot may not post would only fail each post: say what to fix instead.
        if (!botMayPost(await readMember(ctx.api, chat.id, ctx.me.id), chat.kind)) {
          return { notice: ctx.t('manage-bot-cannot-post'), screen: homeScreen(ctx, managed) };
        }
        await store.resumeChat(chat.id);
        log.info('manage: posting resumed');
        return { screen: homeScreen(ctx, await loadManaged(chat)) };
      }

      case 'filters':
        return { screen: filtersScreen(ctx, managed) };

      case 'words':
        return { screen: wordsScreen(ctx, managed, action.list) };

      case 'add-word': {
        if (managed.settings[wordListKey[action.list]].length >= chatSettingsLimits.words) {
          return { notice: ctx.t('manage-words-full', { max: chatSettingsLimits.words }), screen: wordsScreen(ctx, managed, action.list) };
        }
        const at = now();
        await store.askForInput(userId, { chatId: chat.id, list: action.list }, new Date(at.getTime() + inputTtlMs), at);
        return { screen: askWordScreen(ctx, managed, action.list) };
      }

      case 'remove-word': {
        const key = wordListKey[action.list];
        const words = managed.settings[key];
        const word = words[action.index];
        // The list may have changed since these buttons were drawn (another admin, another menu).
        if (word === undefined || wordCheck(word) !== action.check) {
          return { notice: ctx.t('manage-word-gone'), screen: wordsScreen(ctx, managed, action.list) };
        }
        // Removed by value from the list as it is when written: a word another admin added meanwhile stays.
        managed = await updateSettings(managed, (current) => ({ [key]: current[key].filter((existing) => existing !== word) }));
        log.info({ list: action.list, words: managed.settings[key].length }, 'manage: filter word removed');
        return { screen: wordsScreen(ctx, managed, action.list) };
      }

      case 'digest':
        return { screen: digestScreen(ctx, managed) };
      case 'style':
        return { screen: styleScreen(ctx, managed) };
      case 'language':
        return { screen: languageScreen(ctx, managed) };

      case 'set-digest':
        managed = await updateSettings(managed, { digest: action.value });
        log.info({ digest: action.value }, 'manage: setting changed');
        return { screen: digestScreen(ctx, managed) };
      case 'set-style':
        managed = await updateSettings(managed, { style: action.value });
        log.info({ style: action.value }, 'manage: setting changed');
        return { screen: styleScreen(ctx, managed) };
      case 'set-language':
        managed = await updateSettings(managed, { language: action.value });
        log.info({ language: action.value }, 'manage: setting changed');
        return { screen: languageScreen(ctx, managed) };
      case 'toggle-preview':
        managed = await updateSettings(managed, { linkPreview: !managed.settings.linkPreview });
        log.info({ linkPreview: managed.settings.linkPreview }, 'manage: setting changed');
        return { screen: homeScreen(ctx, managed) };
      case 'toggle-silent':
        managed = await updateSettings(managed, { silent: !managed.settings.silent });
        log.info({ silent: managed.settings.silent }, 'manage: setting changed');
        return { screen: homeScreen(ctx, managed) };
    }
  };

  feature.command('manage', async (ctx) => {
    if (ctx.chat.type !== 'private' || !ctx.from) return replyHtml(ctx, ctx.t('manage-private-only', { bot: ctx.me.username }));
    await store.closeInput(ctx.from.id);
    await sendScreen(ctx, await chatList(ctx));
  });

  feature.callbackQuery(manageDataPattern, async (ctx) => {
    const action = parseManageData(ctx.callbackQuery.data);
    if (!action || ctx.callbackQuery.message === undefined || ctx.chat?.type !== 'private') {
      return ctx.answerCallbackQuery({ text: ctx.t('manage-menu-unknown') });
    }
    // Any press but "add a word" leaves the question unanswered: the next message is a message again.
    if (action.kind !== 'add-word') await store.closeInput(ctx.from.id);
    const { screen, notice } = await perform(ctx, action);
    let moved = false;
    if (screen) moved = await editScreen(ctx, screen);
    await ctx.answerCallbackQuery(moved ? { text: ctx.t('manage-menu-too-old') } : notice ? { text: notice } : undefined);
  });

  // The answer to "send me the word": mounted before search, which takes any other private text.
  feature.chatType('private').on('message:text', async (ctx, next) => {
    const question = await store.openInput(ctx.from.id, now());
    if (!question) return next();
    const typed = ctx.message.text;
    if (typed.startsWith('/')) {
      await store.closeInput(ctx.from.id);
      return next();
    }
    const word = displayText(typed);
    if (word === '') return replyHtml(ctx, ctx.t('manage-word-empty'));
    if (word.length > chatSettingsLimits.wordLength) {
      return replyHtml(ctx, ctx.t('manage-word-too-long', { length: word.length, max: chatSettingsLimits.wordLength }));
    }
    // Closed here, or by another process that received another message of theirs first: then this one
    // is an ordinary message (each question is answered once).
    if (!(await store.closeInput(ctx.from.id))) return next();
    const found = await access(ctx, question.chatId);
    if (!found.ok) return replyHtml(ctx, ctx.t(found.reason));
    const key = wordListKey[question.list];
    // Checked and added in the store's transaction, on the list as it is then: two admins adding
    // words at once both get theirs, and neither can push the list past its limit.
    let outcome = 'added' as 'added' | 'duplicate' | 'full';
    const managed = await updateSettings(found.managed, (current) => {
      const words = current[key];
      if (words.some((existing) => existing.toLowerCase() === word.toLowerCase())) outcome = 'duplicate';
      else if (words.length >= chatSettingsLimits.words) outcome = 'full';
      else outcome = 'added';
      return outcome === 'added' ? { [key]: [...words, word] } : {};
    });
    if (outcome === 'duplicate') {
      return sendScreen(ctx, wordsScreen(ctx, managed, question.list, ctx.t('manage-word-duplicate', { word: escapeHtml(word) })));
    }
    if (outcome === 'full') {
      return sendScreen(ctx, wordsScreen(ctx, managed, question.list, ctx.t('manage-words-full', { max: chatSettingsLimits.words })));
    }
    ctx.log.info({ chatId: question.chatId, list: question.list, words: managed.settings[key].length }, 'manage: filter word added');
    await sendScreen(ctx, wordsScreen(ctx, managed, question.list, ctx.t('manage-word-added', { word: escapeHtml(word) })));
  });

  return feature;
}

const htmlOptions = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

/** Sends a screen as a new message. */
async function sendScreen(ctx: BotContext, screen: Screen): Promise<void> {
  await ctx.reply(screen.text, { ...htmlOptions, ...(screen.keyboard && { reply_markup: screen.keyboard }) });
}

/**
 * Shows a screen in the menu's message. A message Telegram will no longer edit (too old, deleted)
 * gets the screen as a new message instead: returns true then. Pressing a button whose screen is
 * already shown changes nothing, which is fine.
 */
async function editScreen(ctx: BotContext, screen: Screen): Promise<boolean> {
  try {
    await ctx.editMessageText(screen.text, { ...htmlOptions, ...(screen.keyboard && { reply_markup: screen.keyboard }) });
    return false;
  } catch (err) {
    if (!(err instanceof GrammyError) || err.error_code !== 400) throw err;
    if (err.description.includes('message is not modified')) return false;
    if (!/message can't be edited|message to edit not found|MESSAGE_ID_INVALID/i.test(err.description)) throw err;
    await sendScreen(ctx, screen);
    return true;
  }
}
