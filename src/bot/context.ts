import type { Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Logger } from '../logger.js';
import type { ChatLanguage } from '../store/store.js';

/**
 * Every handler's context: grammY's, plus translations, a logger tagged with the update id, and the
 * language this chat chose with /lang (null or absent: none; the sender's own language applies).
 */
export type BotContext = Context & I18nFlavor & { log: Logger; chatLanguage?: ChatLanguage | null };
