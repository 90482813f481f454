import { Composer } from 'grammy';
import { decideSubscriptionChange } from '../../pipeline/subscriptions.js';
import type { ChatLanguage, Store } from '../../store/store.js';
import { senderInThisChat } from '../chat-admin.js';
import type { BotContext } from '../context.js';
import { commandArgs } from '../render.js';
import { replyHtml } from '../reply.js';
import { toChatRecord } from './subscriptions.js';

const choices: Record<string, ChatLanguage | null> = { ar: 'ar', en: 'en', auto: null };

/**
 * /lang ar|en|auto: the language of this chat — the bot's answers here and, in a channel or group,
 * its posts. In a group or channel only an administrator may change it (the same rule as
 * /subscribe); in a private chat it is the user's own. /lang alone shows the current one.
 */
export function createLangFeature(deps: { store: Store }): Composer<BotContext> {
  const { store } = deps;
  const feature = new Composer<BotContext>();

  feature.command('lang', async (ctx) => {
    const chat = ctx.chat;
    const [choice, ...extra] = commandArgs(ctx).map((arg) => arg.toLowerCase());
    const current = () => ctx.t('manage-value-language', { value: ctx.chatLanguage ?? 'auto' });
    if (choice === undefined) return replyHtml(ctx, `${ctx.t('lang-current', { language: current() })}\n${ctx.t('lang-usage')}`);
    if (extra.length > 0 || !Object.hasOwn(choices, choice)) return replyHtml(ctx, ctx.t('lang-usage'));

    if (chat.type !== 'private') {
      const sender = await senderInThisChat(ctx);
      if (!sender || decideSubscriptionChange({ chatKind: chat.type, sender }) !== 'allowed') {
        return replyHtml(ctx, ctx.t('lang-not-admin'));
      }
    }
    const language = choices[choice] ?? null;
    await store.upsertChat(toChatRecord(chat));
    await store.updateChatSettings(chat.id, { language });
    ctx.log.info({ language }, 'chat language set');
    // This very answer already comes in the new language.
    ctx.chatLanguage = language;
    await ctx.i18n.renegotiateLocale();
    return replyHtml(ctx, language === null ? ctx.t('lang-set-auto') : ctx.t('lang-set', { language: current() }));
  });

  return feature;
}
