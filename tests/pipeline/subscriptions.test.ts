import { describe, expect, it } from 'vitest';
import {
  botMayPost,
  classifyMembershipChange,
  decideSubscriptionChange,
  topicOf,
  userMayManage,
  type MemberRights,
} from '../../src/pipeline/subscriptions.js';
import type { ChatKind } from '../../src/store/store.js';

const creator: MemberRights = { status: 'creator' };
const poster: MemberRights = { status: 'administrator', can_post_messages: true };
const adminNoPost: MemberRights = { status: 'administrator', can_post_messages: false };
const adminRightsUnsaid: MemberRights = { status: 'administrator' };
const member: MemberRights = { status: 'member' };
const mutedMember: MemberRights = { status: 'restricted', is_member: true, can_send_messages: false };
const restrictedButTalking: MemberRights = { status: 'restricted', is_member: true, can_send_messages: true };
const restrictedGone: MemberRights = { status: 'restricted', is_member: false, can_send_messages: true };
const left: MemberRights = { status: 'left' };
const kicked: MemberRights = { status: 'kicked' };

describe('who may manage what a chat receives', () => {
  const table: Array<[string, MemberRights | null, ChatKind, boolean]> = [
    ['the creator of a channel', creator, 'channel', true],
    ['a channel administrator who may post', poster, 'channel', true],
    ['a channel administrator without the right to post', adminNoPost, 'channel', false],
    ['a channel administrator whose rights Telegram did not list', adminRightsUnsaid, 'channel', false],
    ['a channel subscriber', member, 'channel', false],
    ['a group administrator without any particular right', adminRightsUnsaid, 'supergroup', true],
    ['a basic group administrator', adminNoPost, 'group', true],
    ['a group member', member, 'supergroup', false],
    ['someone who left the group', left, 'group', false],
    ['someone banned from the group', kicked, 'supergroup', false],
    ['someone Telegram does not know in the chat', null, 'channel', false],
  ];
  it.each(table)('%s: %s', (_who, rights, kind, expected) => {
    expect(userMayManage(rights, kind)).toBe(expected);
  });
});

describe('where the bot may post', () => {
  const table: Array<[string, MemberRights | null, ChatKind, boolean]> = [
    ['a channel where it is an administrator who may post', poster, 'channel', true],
    ['a channel where it is an administrator without the right to post', adminNoPost, 'channel', false],
    ['a channel where it is only a subscriber', member, 'channel', false],
    ['a channel it was removed from', left, 'channel', false],
    ['a group where it is a plain member', member, 'supergroup', true],
    ['a group where it is an administrator', adminRightsUnsaid, 'group', true],
    ['a group where it is muted', mutedMember, 'supergroup', false],
    ['a group where it is restricted but may still send', restrictedButTalking, 'supergroup', true],
    ['a group it is no longer in, though restricted', restrictedGone, 'supergroup', false],
    ['a group that banned it', kicked, 'group', false],
    ['a chat Telegram does not show it in', null, 'group', false],
  ];
  it.each(table)('%s: %s', (_where, rights, kind, expected) => {
    expect(botMayPost(rights, kind)).toBe(expected);
  });
});

describe('deciding a subscription change', () => {
  const table: Array<[string, Parameters<typeof decideSubscriptionChange>[0], string]> = [
    ['a /subscribe posted in the channel itself', { chatKind: 'channel', sender: { kind: 'the-chat-itself' } }, 'allowed'],
    ['an anonymous group administrator (sent as the group)', { chatKind: 'supergroup', sender: { kind: 'the-chat-itself' } }, 'allowed'],
    ['a group administrator in the group', { chatKind: 'supergroup', sender: { kind: 'user', member: adminRightsUnsaid } }, 'allowed'],
    ['a group member in the group', { chatKind: 'supergroup', sender: { kind: 'user', member } }, 'user-not-admin'],
    [
      'a channel admin without the right to post, from a private chat',
      { chatKind: 'channel', sender: { kind: 'user', member: adminNoPost }, bot: poster },
      'user-not-admin',
    ],
    ['a channel creator, from a private chat', { chatKind: 'channel', sender: { kind: 'user', member: creator }, bot: poster }, 'allowed'],
    [
      'a channel creator, when the bot may not post there',
      { chatKind: 'channel', sender: { kind: 'user', member: creator }, bot: adminNoPost },
      'bot-cannot-post',
    ],
    ['anyone, when the bot is not in the chat', { chatKind: 'group', sender: { kind: 'user', member }, bot: null }, 'bot-cannot-post'],
  ];
  it.each(table)('%s: %s', (_case, input, expected) => {
    expect(decideSubscriptionChange(input)).toBe(expected);
  });
});

describe('reading a change of the bot’s own membership', () => {
  const table: Array<[string, ChatKind, MemberRights, MemberRights, string]> = [
    ['made a channel administrator who may post', 'channel', left, poster, 'may-post'],
    ['made a channel administrator without the right to post', 'channel', left, adminNoPost, 'unchanged'],
    ['given the right to post later', 'channel', adminNoPost, poster, 'may-post'],
    ['losing the right to post', 'channel', poster, adminNoPost, 'may-not-post'],
    ['removed from a channel', 'channel', poster, left, 'may-not-post'],
    ['added to a group as a member', 'group', left, member, 'may-post'],
    ['promoted in a group', 'supergroup', member, adminRightsUnsaid, 'unchanged'],
    ['muted in a group', 'supergroup', member, mutedMember, 'may-not-post'],
    ['banned from a group', 'supergroup', adminRightsUnsaid, kicked, 'may-not-post'],
    ['blocked by a user in private', 'private', member, kicked, 'unchanged'],
  ];
  it.each(table)('%s (%s)', (_case, kind, before, after, expected) => {
    expect(classifyMembershipChange(kind, before, after)).toBe(expected);
  });
});

describe('the forum topic a command came from', () => {
  it('is the thread of a topic message', () => {
    expect(topicOf({ message_thread_id: 12, is_topic_message: true })).toBe(12);
  });
  it('is none for a reply in an ordinary group, which also carries a thread id', () => {
    expect(topicOf({ message_thread_id: 12 })).toBeNull();
  });
  it('is none for a message outside any topic', () => {
    expect(topicOf({})).toBeNull();
    expect(topicOf(undefined)).toBeNull();
  });
});
