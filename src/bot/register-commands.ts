import type { I18n } from '@grammyjs/i18n';
import type { Api } from 'grammy';
import type { BotContext } from './context.js';
import { locales, type Locale } from './create-i18n.js';

const commands = [
  'start',
  'help',
  'search',
  'latest',
  'sources',
  'subscriptions',
  'subscribe',
  'unsubscribe',
  'addsource',
  'removesource',
  'export',
] as const;

/** Telegram's command menu, in Arabic and English, and in the default language for everyone else. */
export async function registerCommands(api: Api, i18n: I18n<BotContext>, defaultLocale: Locale): Promise<void> {
  const list = (locale: Locale) => commands.map((command) => ({ command, description: i18n.t(locale, `cmd-${command}`) }));
  await api.setMyCommands(list(defaultLocale));
  for (const locale of locales) await api.setMyCommands(list(locale), { language_code: locale });
}
