import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import type { BotContext } from './context.js';

export type Locale = 'ar' | 'en';
export const locales: readonly Locale[] = ['ar', 'en'];

const localesDir = fileURLToPath(new URL('../../locales', import.meta.url));

/** The language for a Telegram language_code: ar or en, else the configured default. */
export function pickLocale(languageCode: string | undefined, fallback: Locale): Locale {
  const base = languageCode?.toLowerCase().split(/[-_]/)[0];
  return base === 'ar' || base === 'en' ? base : fallback;
}

/**
 * The language of an answer: the one the chat chose (/lang, or /manage for a channel), else the
 * sender's Telegram language when it is ar or en, else the configured default.
 */
export function negotiateLocale(chatLanguage: Locale | null | undefined, languageCode: string | undefined, fallback: Locale): Locale {
  return chatLanguage ?? pickLocale(languageCode, fallback);
}

/**
 * Loads locales/*.ftl. Bidi isolation marks are off: they would land inside URLs and commands.
 * The chat's own language is read by createBot into `ctx.chatLanguage` before this runs.
 */
export function createI18n(defaultLocale: Locale): I18n<BotContext> {
  const i18n = new I18n<BotContext>({
    defaultLocale,
    useSession: false,
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => negotiateLocale(ctx.chatLanguage, ctx.from?.language_code, defaultLocale),
  });
  i18n.loadLocalesDirSync(localesDir);
  return i18n;
}
