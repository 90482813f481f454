import { Composer, GrammyError, InlineKeyboard } from 'grammy';
import { classifyMembershipChange } from '../../pipeline/subscriptions.js';
import type { ChatRecord, Store } from '../../store/store.js';
import { escapeHtml } from '../../text/index.js';
import { decideForChat } from '../chat-admin.js';
import type { BotContext } from '../context.js';
import { chatLabel } from '../render.js';
import { replyHtml } from '../reply.js';
import { toChatRecord } from './subscriptions.js';

/** Callback data of the "subscribe this chat" button: the chat's id, nothing else to trust. */
const subscribeButtonPattern = /^subscribe-chat:(-?\d{1,20})$/;

/** The callback data of the button that subscribes `chatId` to every source. */
export function subscribeButtonData(chatId: number): string {
  return `subscribe-chat:${chatId}`;
}

/** How long the bot's joining a supergroup waits to learn that it is an upgraded group, before offering to subscribe it. */
export const upgradeGraceMs = 2000;
/** How long a group upgrade is remembered, for a join that is handled after it. */
const upgradeMemoryMs = 10 * 60_000;

/**
 * Group upgrades seen lately, by the new supergroup's id. When a group becomes a supergroup, Telegram
 * sends three updates at once: migrate_to_chat_id in the old group, migrate_from_chat_id in the new
 * one, and my_chat_member saying the bot joined the new one. Updates of different chats are handled
 * concurrently, so the join can come before the subscriptions have moved: it waits a moment for the
 * move (the old group's update is not queued behind it) instead of offering to subscribe a chat that
 * already is.
 */
class RecentUpgrades {
  /** New chat id → when its upgrade was handled; in that order, so the oldest come first. */
  private readonly seen = new Map<number, number>();
  private readonly waiters = new Map<number, Set<() => void>>();

  /** The subscriptions of a group have moved to `newChatId`. */
  note(newChatId: number): void {
    const now = Date.now();
    for (const [id, at] of this.seen) {
      if (now - at < upgradeMemoryMs) break;
      this.seen.delete(id);
    }
    this.seen.delete(newChatId);
    this.seen.set(newChatId, now);
    for (const wake of [...(this.waiters.get(newChatId) ?? [])]) wake();
  }

  /** True when `chatId` is an upgraded group, known now or within `waitMs`. */
  async isUpgraded(chatId: number, waitMs: number): Promise<boolean> {
    const at = this.seen.get(chatId);
    if (at !== undefined && Date.now() - at < upgradeMemoryMs) return true;
    if (waitMs <= 0) return false;
    return new Promise<boolean>((resolve) => {
      const waiting = this.waiters.get(chatId) ?? new Set<() => void>();
      this.waiters.set(chatId, waiting);
      const done = (upgraded: boolean) => {
        clearTimeout(timer);
        waiting.delete(wake);
        if (waiting.size === 0) this.waiters.delete(chatId);
        resolve(upgraded);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), waitMs);
      waiting.add(wake);
    });
  }
}

/** The bot was outside the chat before this change (it joined, rather than got or regained rights). */
function joined(before: { status: string }): boolean {
  return before.status === 'left' || before.status === 'kicked';
}

/**
 * The bot's own place in chats (my_chat_member), group upgrades and the subscribe button:
 * - made able to post in a channel or group: the chats's paused posts resume, and whoever did it is
 *   told in private how to subscribe it, with a button that does;
 * - removed, demoted or muted: the chat's posts pause at once, before any send is attempted;
 * - a group upgraded to a supergroup: its subscriptions and waiting posts move to the new id, and
 *   the bot joining the new supergroup tells nobody anything when it is subscribed (see
 *   {@link RecentUpgrades}).
 */
export function createMembershipFeature(deps: { store: Store; upgradeGraceMs?: number }): Composer<BotContext> {
  const { store } = deps;
  const feature = new Composer<BotContext>();
  const upgrades = new RecentUpgrades();

  feature.on('my_chat_member', async (ctx) => {
    const update = ctx.myChatMember;
    const chat = update.chat;
    if (chat.type === 'private') return;
    const change = classifyMembershipChange(chat.type, update.old_chat_member, update.new_chat_member);
    const log = ctx.log.child({ chatId: chat.id, status: update.new_chat_member.status, change });
    if (change === 'unchanged') return log.debug('bot membership changed; posting rights did not');

    const record = toChatRecord(chat);
    if (change === 'may-not-post') {
      // Paused before the next send is tried: the outbox claims nothing from a paused chat.
      await store.pauseChat(chat.id, `bot may not post (${update.new_chat_member.status})`);
      return log.info('bot may no longer post; chat paused');
    }

    // Asked before the chat is written, so that a group upgrade still to come moves the old group's
    // record (with its settings) rather than only its subscriptions into a new empty one.
    let upgraded = false;
    if (chat.type === 'supergroup' && joined(update.old_chat_member)) {
      const waitMs = (await store.listSubscriptions(chat.id)).length > 0 ? 0 : (deps.upgradeGraceMs ?? upgradeGraceMs);
      if (waitMs > 0) log.debug({ waitMs }, 'bot joined a supergroup; waiting to learn whether it is an upgraded group');
      upgraded = await upgrades.isUpgraded(chat.id, waitMs);
    }
    await store.upsertChat(record);
    const subscribed = (await store.listSubscriptions(chat.id)).length > 0;
    if (subscribed) await store.resumeChat(chat.id);
    if (upgraded && subscribed) return log.info('group was upgraded and is subscribed; nothing to tell');
    log.info({ subscribed, upgraded }, subscribed ? 'bot may post again; chat resumed' : 'bot may post; telling who added it');

    const adder = update.from;
    if (adder.is_bot) return;
    const label = chatLabel(record);
    // What to type after /subscribe in a private chat: the @username, else the numeric id.
    const ref = escapeHtml(chat.username ? `@${chat.username}` : String(chat.id));
    const text = subscribed ? ctx.t('membership-resumed', { chat: label }) : ctx.t('membership-added-to', { chat: label, ref });
    const keyboard = subscribed ? undefined : new InlineKeyboard().text(ctx.t('membership-subscribe-button'), subscribeButtonData(chat.id));
    try {
      await ctx.api.sendMessage(adder.id, text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(keyboard && { reply_markup: keyboard }),
      });
    } catch (err) {
      // 403: that person never started the bot (or blocked it); the chat still works without the hint.
      if (!(err instanceof GrammyError) || err.error_code !== 403) throw err;
      log.info({ userId: adder.id, description: err.description }, 'could not tell who added the bot; skipped');
    }
  });

  feature.callbackQuery(subscribeButtonPattern, async (ctx) => {
    const chatId = Number(subscribeButtonPattern.exec(ctx.callbackQuery.data)![1]);
    await ctx.answerCallbackQuery();
    const record = (await store.getChat(chatId)) ?? (await chatFromTelegram(ctx, chatId));
    if (!record) return replyHtml(ctx, ctx.t('subscribe-target-unknown', { target: `<code>${chatId}</code>` }));
    const label = chatLabel(record);
    // Rights are read again now: the button may be pressed long after it was sent, by anyone it was forwarded to.
    const decision = await decideForChat(ctx.api, record, ctx.from.id, ctx.me.id);
    if (decision !== 'allowed') {
      return replyHtml(ctx, ctx.t(decision === 'bot-cannot-post' ? 'subscribe-bot-not-admin' : 'subscribe-user-not-admin', { chat: label }));
    }
    await store.upsertChat(record);
    const { added } = await store.subscribe(chatId, 'all', ctx.from.id);
    ctx.log.info({ chatId, sourceIds: 'all', added: added.length, via: 'button' }, 'subscribed');
    const done = ctx.t('subscribe-done-all', { chat: label });
    try {
      await ctx.editMessageText(done, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    } catch (err) {
      // The message may be too old to edit, or already say this: say it in a new one.
      if (!(err instanceof GrammyError)) throw err;
      await replyHtml(ctx, done);
    }
  });

  feature.on('message:migrate_to_chat_id', async (ctx) => {
    await store.migrateChat(ctx.chat.id, ctx.msg.migrate_to_chat_id);
    upgrades.note(ctx.msg.migrate_to_chat_id);
    ctx.log.info({ newChatId: ctx.msg.migrate_to_chat_id }, 'group was upgraded; subscriptions moved');
  });
  // The new supergroup says it too; whichever comes first moves the subscriptions, the other finds nothing left.
  feature.on('message:migrate_from_chat_id', async (ctx) => {
    await store.migrateChat(ctx.msg.migrate_from_chat_id, ctx.chat.id);
    upgrades.note(ctx.chat.id);
    ctx.log.info({ oldChatId: ctx.msg.migrate_from_chat_id }, 'group was upgraded; subscriptions moved');
  });

  return feature;
}

/** The chat as Telegram describes it now, or null when the bot cannot see it (400). */
async function chatFromTelegram(ctx: BotContext, chatId: number): Promise<ChatRecord | null> {
  try {
    const info = await ctx.api.getChat(chatId);
    return info.type === 'private' ? null : toChatRecord(info);
  } catch (err) {
    if (err instanceof GrammyError && err.error_code === 400) return null;
    throw err;
  }
}
