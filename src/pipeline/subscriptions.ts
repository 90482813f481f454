import type { ChatKind } from '../store/store.js';

/**
 * What nashra needs of a Telegram chat member (the Bot API's ChatMember, structurally): its status
 * and the rights that decide who may post. Kept free of grammY so the rules stay plain data.
 */
export interface MemberRights {
  status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
  /** Administrators of a channel: may post in it. */
  can_post_messages?: boolean;
  /** Restricted group members: may still send messages. */
  can_send_messages?: boolean;
  /** Restricted members: still in the chat. */
  is_member?: boolean;
}

/** Who asks to change a chat's subscriptions. */
export type SubscriptionSender =
  /** A channel post (only those who may post in the channel can make one), or a group message sent as the group itself (an anonymous administrator). */
  | { kind: 'the-chat-itself' }
  /** A person; `member` is what getChatMember answered for them just now (null: not in the chat). */
  | { kind: 'user'; member: MemberRights | null };

/** The answer to "may this sender change what this chat receives?". */
export type SubscriptionDecision = 'allowed' | 'user-not-admin' | 'bot-cannot-post';

/**
 * Whether a person may manage what a chat receives: its creator, or an administrator; in a channel
 * the administrator must also have the right to post, since subscribing makes the channel post.
 */
export function userMayManage(member: MemberRights | null, chatKind: ChatKind): boolean {
  if (!member) return false;
  if (member.status === 'creator') return true;
  if (member.status !== 'administrator') return false;
  return chatKind !== 'channel' || member.can_post_messages === true;
}

/**
 * Whether the bot may post in a chat: in a channel only as its administrator with the right to post;
 * in a group as any member who may send messages.
 */
export function botMayPost(member: MemberRights | null, chatKind: ChatKind): boolean {
  if (!member) return false;
  if (member.status === 'creator') return true;
  if (chatKind === 'channel') return member.status === 'administrator' && member.can_post_messages === true;
  if (member.status === 'administrator' || member.status === 'member') return true;
  return member.status === 'restricted' && member.is_member !== false && member.can_send_messages === true;
}

/**
 * Decides a /subscribe, /unsubscribe or subscribe button, with rights read just now (never cached, so
 * a demoted admin loses the right at once). `bot` is the bot's own membership when the request came
 * from elsewhere (a private chat, a button); omit it for a command sent in the chat itself, which the
 * bot has just received there. The bot's rights are checked first: whoever asks, the fix is the same.
 */
export function decideSubscriptionChange(input: {
  chatKind: ChatKind;
  sender: SubscriptionSender;
  bot?: MemberRights | null;
}): SubscriptionDecision {
  const { chatKind, sender } = input;
  if (input.bot !== undefined && !botMayPost(input.bot, chatKind)) return 'bot-cannot-post';
  if (sender.kind === 'the-chat-itself') return 'allowed';
  return userMayManage(sender.member, chatKind) ? 'allowed' : 'user-not-admin';
}

/** What a change of the bot's own membership in a chat (my_chat_member) means for that chat. */
export type MembershipChange =
  /** The bot may now post where it could not: tell whoever did it, resume the chat's posts. */
  | 'may-post'
  /** The bot may no longer post (removed, demoted, restricted): pause the chat's posts at once. */
  | 'may-not-post'
  | 'unchanged';

/** Reads a my_chat_member update: did the bot gain or lose the right to post in that chat? Private chats never change. */
export function classifyMembershipChange(chatKind: ChatKind, before: MemberRights, after: MemberRights): MembershipChange {
  if (chatKind === 'private') return 'unchanged';
  const could = botMayPost(before, chatKind);
  const can = botMayPost(after, chatKind);
  if (can === could) return 'unchanged';
  return can ? 'may-post' : 'may-not-post';
}

/**
 * The forum topic a command was sent in, where a subscription made by it should post: only a real
 * topic message counts (`is_topic_message`); a reply in an ordinary group also carries a
 * message_thread_id, which is not a topic.
 */
export function topicOf(message: { message_thread_id?: number; is_topic_message?: boolean } | undefined): number | null {
  if (!message?.is_topic_message || message.message_thread_id === undefined) return null;
  return message.message_thread_id;
}
