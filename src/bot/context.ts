import type { Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Logger } from '../logger.js';

/** Every handler's context: grammY's, plus translations and a logger tagged with the update id. */
export type BotContext = Context & I18nFlavor & { log: Logger };
