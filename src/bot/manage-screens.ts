import { InlineKeyboard } from 'grammy';
import { chatSettingsLimits } from '../store/chat-settings.js';
import type { ChatLanguage, ChatRecord, ChatSettings, DigestMode, PostStyle, SourceRecord, SubscriptionRecord } from '../store/store.js';
import { cutText, escapeHtml } from '../text/index.js';
import type { BotContext } from './context.js';
import { manageData, wordCheck, type WordList } from './manage-data.js';
import { chatLabel, displayText } from './render.js';

/** One state of the /manage message: its HTML and its buttons. */
export interface Screen {
  text: string;
  keyboard?: InlineKeyboard;
}

/** The reason nashra writes when an administrator pauses a chat from /manage. */
export const pausedByAdminReason = 'paused by an admin';

/** Sources per page of the sources screen (one button each, plus the "all" and paging rows). */
export const sourcesPageSize = 8;
/** Remove buttons per row on a word list screen (numbered, so short). */
const removeButtonsPerRow = 5;
/** Longest source title on a button, and longest word shown in a list (a word may be up to 100). */
const buttonTitleLength = 40;
const listedWordLength = 60;
/** Longest preview of a word list on the filters overview. */
const previewLength = 600;

const digestModes: readonly DigestMode[] = ['off', 'hourly', 'daily'];
const postStyles: readonly PostStyle[] = ['headline', 'summary', 'photo'];
const languages: ReadonlyArray<ChatLanguage | null> = ['ar', 'en', null];

/** Everything a chat's screens show, read from the store for each press. */
export interface ManagedChat {
  chat: ChatRecord;
  settings: ChatSettings;
  subscriptions: SubscriptionRecord[];
  pausedReason: string | null;
}

/** How a chat is named at the top of its screens: its title in bold and its @username, else what chatLabel gives. */
export function manageChatName(chat: ChatRecord): string {
  if (!chat.title) return chatLabel(chat);
  const title = `<b>${escapeHtml(cutText(displayText(chat.title), 100))}</b>`;
  return chat.username ? `${title} (@${escapeHtml(chat.username)})` : title;
}

/** A chat's name on a button (plain text, short). */
function chatButtonName(chat: ChatRecord): string {
  if (chat.title) return cutText(displayText(chat.title), buttonTitleLength);
  return chat.username ? `@${chat.username}` : String(chat.id);
}

const onOff = (ctx: BotContext, value: boolean) => ctx.t('manage-value-onoff', { value: value ? 'on' : 'off' });
const languageValue = (ctx: BotContext, value: ChatLanguage | null) => ctx.t('manage-value-language', { value: value ?? 'auto' });
const checked = (label: string, on: boolean) => `${on ? '✅' : '⬜'} ${label}`;
const chosen = (label: string, on: boolean) => (on ? `✅ ${label}` : label);

/** The first screen: the chats the user may manage, one button each. */
export function chatListScreen(ctx: BotContext, chats: ChatRecord[], hidden: number): Screen {
  const hiddenNote = hidden > 0 ? `\n\n${ctx.t('manage-list-hidden', { count: hidden })}` : '';
  if (chats.length === 0) return { text: ctx.t('manage-none') + hiddenNote };
  const keyboard = new InlineKeyboard();
  for (const chat of chats) keyboard.text(chatButtonName(chat), manageData({ kind: 'home', chatId: chat.id })).row();
  keyboard.text(ctx.t('manage-button-close'), manageData({ kind: 'close' }));
  return { text: ctx.t('manage-list-header') + hiddenNote, keyboard };
}

/** The menu of one chat: every current value, and a button per setting. */
export function homeScreen(ctx: BotContext, managed: ManagedChat): Screen {
  const { chat, settings, subscriptions, pausedReason } = managed;
  const chatId = chat.id;
  const all = subscriptions.some((sub) => sub.sourceId === null);
  const posting =
    pausedReason === null
      ? ctx.t('manage-home-posting-on')
      : pausedReason === pausedByAdminReason
        ? ctx.t('manage-home-posting-paused-admin')
        : ctx.t('manage-home-posting-paused-bot');
  const sources = all
    ? ctx.t('manage-home-sources-all')
    : subscriptions.length === 0
      ? ctx.t('manage-home-sources-none')
      : ctx.t('manage-home-sources-some', { count: subscriptions.length });
  const lines = [
    `⚙️ ${manageChatName(chat)}`,
    '',
    posting,
    sources,
    ctx.t('manage-home-filters', { include: settings.includeWords.length, exclude: settings.excludeWords.length }),
    ctx.t('manage-home-digest', { value: ctx.t('manage-value-digest', { value: settings.digest }) }),
    ctx.t('manage-home-style', { value: ctx.t('manage-value-style', { value: settings.style }) }),
    ctx.t('manage-home-language', { value: languageValue(ctx, settings.language) }),
    ctx.t('manage-home-preview', { value: onOff(ctx, settings.linkPreview) }),
    ctx.t('manage-home-silent', { value: onOff(ctx, settings.silent) }),
  ];
  const keyboard = new InlineKeyboard()
    .text(ctx.t('manage-button-sources'), manageData({ kind: 'sources', chatId, page: 0 }))
    .text(
      pausedReason === null ? ctx.t('manage-button-pause') : ctx.t('manage-button-resume'),
      manageData({ kind: pausedReason === null ? 'pause' : 'resume', chatId }),
    )
    .row()
    .text(ctx.t('manage-button-filters'), manageData({ kind: 'filters', chatId }))
    .text(ctx.t('manage-button-digest'), manageData({ kind: 'digest', chatId }))
    .row()
    .text(ctx.t('manage-button-style'), manageData({ kind: 'style', chatId }))
    .text(ctx.t('manage-button-language'), manageData({ kind: 'language', chatId }))
    .row()
    .text(ctx.t('manage-button-preview', { value: onOff(ctx, settings.linkPreview) }), manageData({ kind: 'toggle-preview', chatId }))
    .text(ctx.t('manage-button-silent', { value: onOff(ctx, settings.silent) }), manageData({ kind: 'toggle-silent', chatId }))
    .row()
    .text(ctx.t('manage-button-chats'), manageData({ kind: 'list' }))
    .text(ctx.t('manage-button-close'), manageData({ kind: 'close' }));
  return { text: lines.join('\n'), keyboard };
}

/** The page count of the sources screen (at least one). */
export function sourcePages(total: number): number {
  return Math.max(1, Math.ceil(total / sourcesPageSize));
}

/** Which sources the chat receives, a page at a time, each a toggle, with "all sources" on top. */
export function sourcesScreen(ctx: BotContext, managed: ManagedChat, sources: SourceRecord[], requestedPage: number): Screen {
  const chatId = managed.chat.id;
  const all = managed.subscriptions.some((sub) => sub.sourceId === null);
  const on = new Set(managed.subscriptions.map((sub) => sub.sourceId));
  const pages = sourcePages(sources.length);
  const page = Math.min(requestedPage, pages - 1);
  const lines = [`⚙️ ${manageChatName(managed.chat)}`, '', ctx.t('manage-sources-header')];
  if (sources.length === 0) lines.push(ctx.t('manage-sources-empty'));
  else if (all) lines.push(ctx.t('manage-sources-all-note'));
  else if (on.size === 0) lines.push(ctx.t('manage-sources-nothing'));
  else lines.push(ctx.t('manage-sources-count', { on: sources.filter((source) => on.has(source.id)).length, total: sources.length }));

  const keyboard = new InlineKeyboard().text(checked(ctx.t('manage-button-all-sources'), all), manageData({ kind: 'toggle-all', chatId, page })).row();
  for (const source of sources.slice(page * sourcesPageSize, (page + 1) * sourcesPageSize)) {
    const title = cutText(displayText(source.title ?? source.url), buttonTitleLength);
    keyboard.text(checked(`${title} · ${source.id}`, all || on.has(source.id)), manageData({ kind: 'toggle-source', chatId, sourceId: source.id, page })).row();
  }
  if (pages > 1) {
    if (page > 0) keyboard.text(ctx.t('manage-button-previous'), manageData({ kind: 'sources', chatId, page: page - 1 }));
    keyboard.text(ctx.t('manage-button-page', { page: page + 1, pages }), manageData({ kind: 'sources', chatId, page }));
    if (page + 1 < pages) keyboard.text(ctx.t('manage-button-next'), manageData({ kind: 'sources', chatId, page: page + 1 }));
    keyboard.row();
  }
  keyboard.text(ctx.t('manage-button-back'), manageData({ kind: 'home', chatId }));
  return { text: lines.join('\n'), keyboard };
}

/** Words as a short HTML preview: escaped, joined, cut with "…" when long. */
function previewWords(ctx: BotContext, words: readonly string[]): string {
  const joined = words.join(ctx.t('list-separator'));
  return escapeHtml(cutText(joined, previewLength));
}

/** Both keyword lists at a glance, with a button to each. */
export function filtersScreen(ctx: BotContext, managed: ManagedChat): Screen {
  const chatId = managed.chat.id;
  const { includeWords, excludeWords } = managed.settings;
  const lines = [
    `⚙️ ${manageChatName(managed.chat)}`,
    '',
    ctx.t('manage-filters-header'),
    '',
    includeWords.length > 0 ? ctx.t('manage-filters-include', { words: previewWords(ctx, includeWords) }) : ctx.t('manage-filters-include-none'),
    excludeWords.length > 0 ? ctx.t('manage-filters-exclude', { words: previewWords(ctx, excludeWords) }) : ctx.t('manage-filters-exclude-none'),
  ];
  const keyboard = new InlineKeyboard()
    .text(ctx.t('manage-button-include', { count: includeWords.length }), manageData({ kind: 'words', chatId, list: 'include' }))
    .row()
    .text(ctx.t('manage-button-exclude', { count: excludeWords.length }), manageData({ kind: 'words', chatId, list: 'exclude' }))
    .row()
    .text(ctx.t('manage-button-back'), manageData({ kind: 'home', chatId }));
  return { text: lines.join('\n'), keyboard };
}

/** The words of one list, numbered, each with a remove button, and a button to add one. `notice` goes on top (HTML). */
export function wordsScreen(ctx: BotContext, managed: ManagedChat, list: WordList, notice?: string): Screen {
  const chatId = managed.chat.id;
  const words = list === 'include' ? managed.settings.includeWords : managed.settings.excludeWords;
  const lines = [
    ...(notice ? [notice, ''] : []),
    `⚙️ ${manageChatName(managed.chat)}`,
    '',
    ctx.t(list === 'include' ? 'manage-words-include-header' : 'manage-words-exclude-header'),
    ...(words.length === 0
      ? [ctx.t('manage-words-empty')]
      : words.map((word, index) => `${index + 1}. ${escapeHtml(cutText(word, listedWordLength))}`)),
    '',
    ctx.t('manage-words-limit', { max: chatSettingsLimits.words, length: chatSettingsLimits.wordLength }),
  ];
  const keyboard = new InlineKeyboard();
  if (words.length < chatSettingsLimits.words) keyboard.text(ctx.t('manage-button-add-word'), manageData({ kind: 'add-word', chatId, list })).row();
  words.forEach((word, index) => {
    keyboard.text(ctx.t('manage-button-remove-word', { n: index + 1 }), manageData({ kind: 'remove-word', chatId, list, index, check: wordCheck(word) }));
    if ((index + 1) % removeButtonsPerRow === 0) keyboard.row();
  });
  if (words.length % removeButtonsPerRow !== 0) keyboard.row();
  keyboard.text(ctx.t('manage-button-back'), manageData({ kind: 'filters', chatId }));
  return { text: lines.join('\n'), keyboard };
}

/** The question "send me the word", with a button that cancels it. */
export function askWordScreen(ctx: BotContext, managed: ManagedChat, list: WordList): Screen {
  const chatId = managed.chat.id;
  const text = [
    `⚙️ ${manageChatName(managed.chat)}`,
    '',
    ctx.t(list === 'include' ? 'manage-ask-include' : 'manage-ask-exclude', { length: chatSettingsLimits.wordLength }),
  ].join('\n');
  return { text, keyboard: new InlineKeyboard().text(ctx.t('manage-button-cancel'), manageData({ kind: 'words', chatId, list })) };
}

/** Off, hourly or daily. */
export function digestScreen(ctx: BotContext, managed: ManagedChat): Screen {
  const chatId = managed.chat.id;
  const keyboard = new InlineKeyboard();
  for (const value of digestModes) {
    keyboard.text(chosen(ctx.t('manage-value-digest', { value }), managed.settings.digest === value), manageData({ kind: 'set-digest', chatId, value }));
  }
  keyboard.row().text(ctx.t('manage-button-back'), manageData({ kind: 'home', chatId }));
  const text = [
    `⚙️ ${manageChatName(managed.chat)}`,
    '',
    ctx.t('manage-digest-header'),
    '',
    ctx.t('manage-home-digest', { value: ctx.t('manage-value-digest', { value: managed.settings.digest }) }),
  ].join('\n');
  return { text, keyboard };
}

/** Headline and link, headline and summary, or photo. */
export function styleScreen(ctx: BotContext, managed: ManagedChat): Screen {
  const chatId = managed.chat.id;
  const keyboard = new InlineKeyboard();
  for (const value of postStyles) {
    keyboard.text(chosen(ctx.t('manage-value-style', { value }), managed.settings.style === value), manageData({ kind: 'set-style', chatId, value })).row();
  }
  keyboard.text(ctx.t('manage-button-back'), manageData({ kind: 'home', chatId }));
  const text = [
    `⚙️ ${manageChatName(managed.chat)}`,
    '',
    ctx.t('manage-style-header'),
    '',
    ctx.t('manage-home-style', { value: ctx.t('manage-value-style', { value: managed.settings.style }) }),
  ].join('\n');
  return { text, keyboard };
}

/** Arabic, English or automatic. */
export function languageScreen(ctx: BotContext, managed: ManagedChat): Screen {
  const chatId = managed.chat.id;
  const keyboard = new InlineKeyboard();
  for (const value of languages) {
    keyboard.text(chosen(languageValue(ctx, value), managed.settings.language === value), manageData({ kind: 'set-language', chatId, value }));
  }
  keyboard.row().text(ctx.t('manage-button-back'), manageData({ kind: 'home', chatId }));
  const text = [
    `⚙️ ${manageChatName(managed.chat)}`,
    '',
    ctx.t('manage-language-header'),
    '',
    ctx.t('manage-home-language', { value: languageValue(ctx, managed.settings.language) }),
  ].join('\n');
  return { text, keyboard };
}
