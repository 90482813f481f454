import type { I18n } from '@grammyjs/i18n';
import type { Api } from 'grammy';
import type { BotContext } from './context.js';
import { locales, type Locale } from './create-i18n.js';

/** The menu everyone sees. */
export const publicCommands = ['start', 'help', 'search', 'latest', 'sources', 'subscriptions', 'subscribe', 'unsubscribe'] as const;

/** Added to the menu in each bot admin's private chat only: nobody else may use them. */
export const adminCommands = ['addsource', 'removesource', 'resumesource', 'setinterval', 'fulltext', 'export'] as const;

type Command = (typeof publicCommands)[number] | (typeof adminCommands)[number];

/**
 * Telegram's command menu, in Arabic and English and in the default language for everyone else; bot
 * admins see the admin commands too, in their private chat with the bot. An admin who never started
 * the bot cannot have a chat-scoped menu yet (Telegram answers "chat not found"): that is skipped.
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
  await api.setMyCommands(list(defaultLocale, publicCommands));
  for (const locale of locales) await api.setMyCommands(list(locale, publicCommands), { language_code: locale });

  const all = [...publicCommands, ...adminCommands];
  for (const adminId of botAdmins) {
    const scope = { type: 'chat' as const, chat_id: adminId };
    try {
      await api.setMyCommands(list(defaultLocale, all), { scope });
      for (const locale of locales) await api.setMyCommands(list(locale, all), { scope, language_code: locale });
    } catch (err) {
      onAdminFailure(adminId, err);
    }
  }
}
