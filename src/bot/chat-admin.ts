import { GrammyError, type Api } from 'grammy';
import type { ChatMember } from 'grammy/types';
import {
  decideSubscriptionChange,
  type SubscriptionDecision,
  type SubscriptionSender,
} from '../pipeline/subscriptions.js';
import type { ChatKind } from '../store/store.js';
import type { BotContext } from './context.js';

/**
 * getChatMember, with Telegram's 400 ("user not found", "chat not found", "member list is
 * inaccessible") read as "not in the chat": null. Anything else (the network) is a real failure.
 */
export async function memberOrNull(api: Api, chatId: number, userId: number): Promise<ChatMember | null> {
  try {
    return await api.getChatMember(chatId, userId);
  } catch (err) {
    if (err instanceof GrammyError && err.error_code === 400) return null;
    throw err;
  }
}

/**
 * Who sent this update, as the subscriptions use case sees them. A channel post comes from the
 * channel, so from someone who may post in it; a group message sent "as the group" (an anonymous
 * administrator) carries the group as sender_chat; anyone else is asked about with getChatMember,
 * every time, so a demoted admin loses the right at once. Null when the update names nobody.
 */
export async function senderInThisChat(ctx: BotContext): Promise<SubscriptionSender | null> {
  const chat = ctx.chat;
  if (!chat) return null;
  if (chat.type === 'channel') return { kind: 'the-chat-itself' };
  if (ctx.msg?.sender_chat?.id === chat.id) return { kind: 'the-chat-itself' };
  if (!ctx.from) return null;
  return { kind: 'user', member: await memberOrNull(ctx.api, chat.id, ctx.from.id) };
}

/**
 * Decides whether `userId` may change what another chat receives (a private /subscribe @channel, a
 * subscribe button), reading the user's and the bot's membership there now.
 */
export async function decideForChat(
  api: Api,
  chat: { id: number; kind: ChatKind },
  userId: number,
  botId: number,
): Promise<SubscriptionDecision> {
  const [bot, member] = await Promise.all([memberOrNull(api, chat.id, botId), memberOrNull(api, chat.id, userId)]);
  return decideSubscriptionChange({ chatKind: chat.kind, sender: { kind: 'user', member }, bot });
}
