import type { ChatMember } from 'grammy/types';
import type { ChatRecord } from '../store/store.js';
import type { BotContext } from './context.js';

export function isAdminMember(member: ChatMember): boolean {
  return member.status === 'creator' || member.status === 'administrator';
}

/** The bot may post in a chat it administers; in a channel only with the right to post messages. */
export function botMayPost(member: ChatMember, chatKind: ChatRecord['kind']): boolean {
  if (member.status === 'creator') return true;
  if (member.status !== 'administrator') return false;
  return chatKind !== 'channel' || member.can_post_messages === true;
}

/**
 * Whether the sender of this update administers the chat it came from. A channel post comes from
 * the channel, so from one of its admins; a group message sent "as the group" (anonymous admin)
 * carries the group as sender_chat; anyone else is asked about with getChatMember, every time, so
 * a demoted admin loses the right at once.
 */
export async function senderAdministersThisChat(ctx: BotContext): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat) return false;
  if (chat.type === 'channel') return true;
  if (chat.type === 'private') return true;
  if (ctx.msg?.sender_chat?.id === chat.id) return true;
  if (!ctx.from) return false;
  const member = await ctx.api.getChatMember(chat.id, ctx.from.id);
  return isAdminMember(member);
}
