import { Composer, GrammyError } from 'grammy';
import type { ChatRecord, SourceRecord, Store } from '../../store/store.js';
import { escapeHtml } from '../../text/index.js';
import { decideSubscriptionChange, topicOf } from '../../pipeline/subscriptions.js';
import { decideForChat, senderInThisChat } from '../chat-admin.js';
import type { BotContext } from '../context.js';
import { chatLabel, commandArgs, sourceLabel } from '../render.js';
import { replyHtml } from '../reply.js';

/**
 * The chat a command changes; `threadId` is the forum topic a /subscribe sent inside one posts to;
 * `subscribedBy` the person to credit (null for a channel post or an anonymous admin: no one to tell).
 */
type Target = { chat: ChatRecord; label: string; sourceArgs: string[]; threadId: number | null; subscribedBy: number | null };

const chatRef = /^(@[A-Za-z0-9_]{4,32}|-?\d{5,20})$/;

/** What the store keeps of a Telegram chat (from an update's chat or from getChat). */
export function toChatRecord(chat: { id: number; type: ChatRecord['kind']; title?: string; username?: string }): ChatRecord {
  return { id: chat.id, kind: chat.type, title: chat.title ?? null, username: chat.username ?? null };
}

/**
 * Works out which chat a /subscribe or /unsubscribe is about, and whether the sender may change it.
 * Replies with the reason and returns null when not.
 */
async function resolveTarget(ctx: BotContext): Promise<Target | null> {
  const chat = ctx.chat;
  if (!chat) return null;
  const args = commandArgs(ctx);

  if (chat.type !== 'private') {
    const sender = await senderInThisChat(ctx);
    if (!sender || decideSubscriptionChange({ chatKind: chat.type, sender }) !== 'allowed') {
      await replyHtml(ctx, ctx.t('not-chat-admin'));
      return null;
    }
    return {
      chat: toChatRecord(chat),
      label: ctx.t('this-chat'),
      sourceArgs: args,
      threadId: topicOf(ctx.msg),
      subscribedBy: sender.kind === 'user' ? (ctx.from?.id ?? null) : null,
    };
  }

  const [ref, ...rest] = args;
  if (!ref || !chatRef.test(ref) || !ctx.from) {
    await replyHtml(ctx, ctx.t('subscribe-private-usage'));
    return null;
  }
  const target = /^-?\d+$/.test(ref) ? Number(ref) : ref;
  let info;
  try {
    info = await ctx.api.getChat(target);
  } catch (err) {
    if (!(err instanceof GrammyError)) throw err;
    await replyHtml(ctx, ctx.t('subscribe-target-unknown', { target: escapeHtml(ref) }));
    return null;
  }
  if (info.type === 'private') {
    await replyHtml(ctx, ctx.t('subscribe-private-usage'));
    return null;
  }
  const record = toChatRecord(info);
  const label = chatLabel(record);
  const decision = await decideForChat(ctx.api, record, ctx.from.id, ctx.me.id);
  if (decision !== 'allowed') {
    await replyHtml(ctx, ctx.t(decision === 'bot-cannot-post' ? 'subscribe-bot-not-admin' : 'subscribe-user-not-admin', { chat: label }));
    return null;
  }
  return { chat: record, label, sourceArgs: rest, threadId: null, subscribedBy: ctx.from.id };
}

/** Parses source ids into the sources they name; replies and returns null when one is not a known source. */
async function resolveSources(ctx: BotContext, store: Store, args: string[]): Promise<SourceRecord[] | 'all' | null> {
  if (args.length === 0) return 'all';
  const missing = args.filter((arg) => !/^\d{1,12}$/.test(arg));
  const sources: SourceRecord[] = [];
  for (const id of new Set(args.filter((arg) => /^\d{1,12}$/.test(arg)).map(Number))) {
    const source = await store.getSource(id);
    if (source) sources.push(source);
    else missing.push(String(id));
  }
  if (missing.length > 0) {
    await replyHtml(ctx, ctx.t('subscribe-unknown-ids', { ids: escapeHtml(missing.join(', ')) }));
    return null;
  }
  return sources;
}

/** /subscribe, /unsubscribe (chat admins) and /subscriptions (anyone). */
export function createSubscriptionsFeature(deps: { store: Store }): Composer<BotContext> {
  const { store } = deps;
  const feature = new Composer<BotContext>();

  feature.command('subscribe', async (ctx) => {
    const target = await resolveTarget(ctx);
    if (!target) return;
    const sources = await resolveSources(ctx, store, target.sourceArgs);
    if (!sources) return;
    const sourceIds = sources === 'all' ? 'all' : sources.map((source) => source.id);
    await store.upsertChat(target.chat);
    const { added } = await store.subscribe(target.chat.id, sourceIds, target.subscribedBy, { threadId: target.threadId });
    ctx.log.info({ chatId: target.chat.id, threadId: target.threadId, sourceIds, added: added.length }, 'subscribed');
    if (sources === 'all') return replyHtml(ctx, ctx.t('subscribe-done-all', { chat: target.label }));
    if (added.length === 0) return replyHtml(ctx, ctx.t('subscribe-nothing-new', { chat: target.label }));
    const names = sources.map((source) =>
      ctx.t('subscriptions-source', { title: sourceLabel(source), id: String(source.id) }),
    );
    return replyHtml(ctx, ctx.t('subscribe-done-some', { chat: target.label, sources: names.join(ctx.t('list-separator')) }));
  });

  feature.command('unsubscribe', async (ctx) => {
    const target = await resolveTarget(ctx);
    if (!target) return;
    const sources = await resolveSources(ctx, store, target.sourceArgs);
    if (!sources) return;
    const sourceIds = sources === 'all' ? 'all' : sources.map((source) => source.id);
    const { removed } = await store.unsubscribe(target.chat.id, sourceIds);
    ctx.log.info({ chatId: target.chat.id, sourceIds, removed }, 'unsubscribed');
    if (removed === 0) {
      // Leaving one source of an "all sources" subscription is not possible; say how to get there.
      const hasAll = sourceIds !== 'all' && (await store.listSubscriptions(target.chat.id)).some((sub) => sub.sourceId === null);
      return replyHtml(ctx, ctx.t(hasAll ? 'unsubscribe-from-all-hint' : 'unsubscribe-nothing', { chat: target.label }));
    }
    const what =
      sourceIds === 'all' ? ctx.t('unsubscribe-what-all') : ctx.t('unsubscribe-what-some', { ids: sourceIds.join(ctx.t('list-separator')) });
    return replyHtml(ctx, ctx.t('unsubscribe-done', { chat: target.label, what }));
  });

  feature.command('subscriptions', async (ctx) => {
    const chat = ctx.chat;
    if (!chat) return;
    const describe = (subs: Awaited<ReturnType<Store['listSubscriptions']>>) =>
      subs
        .map((sub) =>
          sub.sourceId === null
            ? ctx.t('subscriptions-all')
            : ctx.t('subscriptions-source', { title: sourceLabel({ title: sub.sourceTitle }), id: String(sub.sourceId) }),
        )
        .map((line) => `• ${line}`)
        .join('\n') + (subs.some((sub) => sub.paused) ? `\n${ctx.t('subscriptions-paused')}` : '');

    if (chat.type === 'private') {
      if (!ctx.from) return;
      const chats = await store.listChatsSubscribedBy(ctx.from.id);
      if (chats.length === 0) return replyHtml(ctx, ctx.t('subscriptions-private-none'));
      const blocks = chats.map(({ chat: c, subscriptions }) => `${chatLabel(c)}\n${describe(subscriptions)}`);
      return replyHtml(ctx, [ctx.t('subscriptions-private-header'), ...blocks].join('\n\n'));
    }
    const subs = await store.listSubscriptions(chat.id);
    if (subs.length === 0) return replyHtml(ctx, ctx.t('subscriptions-none'));
    return replyHtml(ctx, `${ctx.t('subscriptions-header')}\n${describe(subs)}`);
  });

  return feature;
}
