import type { I18n } from '@grammyjs/i18n';
import type { Api } from 'grammy';
import type { BotCommandScope } from 'grammy/types';
import type { BotContext } from './context.js';
import { locales, type Locale } from './create-i18n.js';

/** The menu in private chats: everything a user can do, /manage for the chats they subscribed. */
export const privateCommands = [
  'start',
  'help',
  'search',
  'latest',
  'sources',
  'subscriptions',
  'subscribe',
  'unsubscribe',
  'manage',
  'lang',
] as const;

/**
 * The menu in groups: reading, the chat's subscription and its language, no onboarding (/start means
 * little there) and no /manage (a private-chat menu).
 */
export const groupCommands = ['search', 'latest', 'sources', 'subscribe', 'unsubscribe', 'subscriptions', 'lang', 'help'] as const;

/**
 * The menu of a group's administrators. Telegram shows them this scope *instead of* the group's, so it
 * holds the group's commands too, the subscribe family first since that is what they came for.
 */
export const chatAdminCommands = ['subscribe', 'unsubscribe', 'subscriptions', 'lang', 'search', 'latest', 'sources', 'help'] as const;

/** Added to the menu in each bot admin's private chat only: nobody else may use them. */
export const adminCommands = ['status', 'addsource', 'removesource', 'resumesource', 'setinterval', 'fulltext', 'export'] as const;

type Command =
  | (typeof privateCommands)[number]
  | (typeof groupCommands)[number]
  | (typeof chatAdminCommands)[number]
  | (typeof adminCommands)[number];

/** One menu: which commands, for whom (no scope: Telegram's default, used where no other scope applies). */
export interface CommandMenu {
  scope?: BotCommandScope;
  commands: readonly Command[];
  /** The bot admin this menu is for (a failure to set it is reported, not thrown). */
  adminId?: number;
}

/** Every menu nashra sets, most general first, each later set in every language. */
export function commandMenus(botAdmins: ReadonlySet<number>): CommandMenu[] {
  return [
    { commands: privateCommands },
    { scope: { type: 'all_private_chats' }, commands: privateCommands },
    { scope: { type: 'all_group_chats' }, commands: groupCommands },
    { scope: { type: 'all_chat_administrators' }, commands: chatAdminCommands },
    ...[...botAdmins].map((adminId) => ({
      scope: { type: 'chat' as const, chat_id: adminId },
      commands: [...privateCommands, ...adminCommands],
      adminId,
    })),
  ];
}

/**
 * Telegram's command menus, per scope (private chats, groups, group administrators, each bot admin's
 * private chat), each in Arabic and English and in the default language for everyone else. An admin
 * who never started the bot cannot have a chat-scoped menu yet (Telegram answers "chat not found"):
 * that is reported through `onAdminFailure` and the other menus are still set.
 */
export async function registerCommands(
  api: Api,
  i18n: I18n<BotContext>,
  defaultLocale: Locale,
  botAdmins: ReadonlySet<number> = new Set(),
  onAdminFailure: (adminId: number, err: unknown) => void = () => undefined,
): Promise<void> {
  const list = (locale: Locale, commands: readonly Command[]) =>
    commands.map((command) => ({ command, description: i18n.t(locale, `cmd-${command}`) }));
  for (const menu of commandMenus(botAdmins)) {
    const scope = menu.scope === undefined ? {} : { scope: menu.scope };
    try {
      await api.setMyCommands(list(defaultLocale, menu.commands), scope);
      for (const locale of locales) await api.setMyCommands(list(locale, menu.commands), { ...scope, language_code: locale });
    } catch (err) {
      if (menu.adminId === undefined) throw err;
      onAdminFailure(menu.adminId, err);
    }
  }
}
