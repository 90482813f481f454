import type { Logger } from '../logger.js';
import type { ChatKind, ChatLanguage, DeliveryRecord, Store } from '../store/store.js';
import { classifySendError, type SendDecision } from './classify-send-error.js';
import { captionLimits, composePost, formatDigest, formatPost, plainTextOf, postLimits, shortPostLimits } from './format-post.js';
import { SendPacer, telegramLimits, type SendLimits } from './send-pacer.js';

/** The outbox's text message; grammY's `Api#sendMessage` fits. */
export type SendMessage = (
  chatId: number,
  text: string,
  other: { parse_mode?: 'HTML'; link_preview_options?: { is_disabled?: boolean }; message_thread_id?: number; disable_notification?: boolean },
) => Promise<{ message_id: number }>;

/** The outbox's photo post, the picture given by URL; grammY's `Api#sendPhoto` fits. */
export type SendPhoto = (
  chatId: number,
  photo: string,
  other: { caption?: string; parse_mode?: 'HTML'; message_thread_id?: number; disable_notification?: boolean },
) => Promise<{ message_id: number }>;

/** Edits a sent text post in place; grammY's `Api#editMessageText` fits. */
export type EditMessageText = (
  chatId: number,
  messageId: number,
  text: string,
  other: { parse_mode?: 'HTML'; link_preview_options?: { is_disabled?: boolean } },
) => Promise<unknown>;

/** Edits the caption of a sent photo post; grammY's `Api#editMessageCaption` fits. */
export type EditMessageCaption = (chatId: number, messageId: number, other: { caption?: string; parse_mode?: 'HTML' }) => Promise<unknown>;

/** A string from locales/ in a chat's language (null: the default language). */
export type TranslatePost = (language: ChatLanguage | null, id: string, params: Record<string, string | number>) => string;

/** Turns for sends from a budget several processes share (delivery/shared-pacer.ts's SharedSendPacer). */
export interface SendTurns {
  /** Resolves true when the send may start now, false when it got no turn (it goes back to the queue). */
  waitForTurn(chatId: number, kind: ChatKind): Promise<boolean>;
  /** Ends every wait with false. */
  close(): void;
}

export interface DeliveryWorker {
  start(): void;
  /** New deliveries were queued: look now instead of at the next timer. */
  notify(): void;
  /**
   * Stops claiming; resolves when in-flight sends have finished and been recorded, or after
   * `graceMs`. A send still unanswered then stays `sending` and is sent again after the restart
   * (at most one repeat), rather than holding up the shutdown.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

export interface DeliveryWorkerOptions {
  store: Store;
  sendMessage: SendMessage;
  /** For the photo style; absent: photo posts go out as text. */
  sendPhoto?: SendPhoto;
  /**
   * For posts whose headline the source corrected after they were sent (DeliveryRecord.editMessageId);
   * absent: such an edit is given up and recorded, and nothing is posted again.
   */
  editMessageText?: EditMessageText;
  /** The same for a photo post's caption. */
  editMessageCaption?: EditMessageCaption;
  /** The digest's heading in the chat's language; absent: digests have no heading. */
  translate?: TranslatePost;
  logger: Logger;
  limits?: SendLimits;
  /** The pacer to share with the bot's replies (they count against the same limits); default: one of its own, from `limits`. */
  pacer?: SendPacer;
  /**
   * Where several processes share the store: the turns every send waits for (delivery/shared-pacer.ts),
   * which decide the overall rate and each chat's pace across processes; `pacer` then keeps this
   * process's chat windows and 429 holds. Absent: this process alone, paced by `pacer`.
   */
  turns?: SendTurns;
  /** Sends in flight at once. */
  concurrency?: number;
  /** Attempts before a post that keeps failing for transient reasons is marked failed. */
  maxAttempts?: number;
  /** Longest idle sleep; new work normally arrives through notify(). */
  idleMs?: number;
  /** Called once a chat refused a post for good and was paused (to tell whoever subscribed it). */
  onChatPaused?: (paused: { chatId: number; reason: string }) => void;
  /**
   * Called when Telegram answered a post, after `ms`: `sent`, or what its refusal led to (`retry-after`
   * is a 429). For metrics: must return at once and never throw.
   */
  onSendDone?: (send: { outcome: 'sent' | SendDecision['action']; ms: number }) => void;
}

type Fallback = 'plain-text' | 'shorten' | 'text-instead' | 'caption-instead';
const maxRememberedFallbacks = 10_000;

/**
 * Drains the outbox to Telegram as fast as Telegram's limits allow and no faster: a send starts as
 * soon as both the global and the chat's window have room; order is kept within a chat (one post in
 * flight per chat, oldest first); a 429 holds back only the chat it concerns.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { store, sendMessage, logger, onChatPaused, turns } = options;
  const pacer = options.pacer ?? new SendPacer(options.limits ?? telegramLimits);
  const concurrency = options.concurrency ?? 8;
  const maxAttempts = options.maxAttempts ?? 10;
  const idleMs = options.idleMs ?? 1000;
  const chatKinds = new Map<number, ChatKind>();
  const inFlight = new Map<number, Promise<void>>();
  const inFlightChatIds = new Map<number, number>();
  /** Deliveries whose next send is the simpler form Telegram's last answer called for. */
  const fallbacks = new Map<number, Fallback>();

  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  // A notify() that lands while a step runs must not be lost to the sleep that follows it.
  let notified = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (notified) {
        notified = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function deliver(delivery: DeliveryRecord): Promise<void> {
    if (delivery.kind === 'digest') return deliverDigest(delivery);
    if (delivery.editMessageId != null) return deliverEdit(delivery, delivery.editMessageId);
    const log = logger.child({ deliveryId: delivery.id, chatId: delivery.chatId, itemId: delivery.itemId });
    const fallback = fallbacks.get(delivery.id);
    fallbacks.delete(delivery.id);
    let sent: { message_id: number };
    const started = performance.now();
    const message = composePost(delivery, {
      limits: fallback === 'shorten' ? shortPostLimits : postLimits,
      textOnly: fallback !== undefined || !options.sendPhoto,
    });
    try {
      sent = await (message.kind === 'photo'
        ? options.sendPhoto!(delivery.chatId, message.photo, { caption: message.caption, parse_mode: 'HTML', ...sendOptions(delivery) })
        : sendText(delivery, message.html, fallback));
    } catch (err) {
      const decision = classifySendError(err, {
        attempts: delivery.attempts,
        maxAttempts,
        fallback: fallback === 'plain-text' || fallback === 'shorten',
        photo: message.kind === 'photo',
      });
      options.onSendDone?.({ outcome: decision.action, ms: performance.now() - started });
      await applyDecision(delivery, decision, log).catch((storeErr: unknown) =>
        log.error({ err: storeErr }, 'could not record a failed send'),
      );
      return;
    }
    options.onSendDone?.({ outcome: 'sent', ms: performance.now() - started });
    // Kept apart from the send: a failure to record must never be mistaken for a failed send and resent.
    try {
      await store.markDeliverySent(delivery.id, sent.message_id);
      log.info({ messageId: sent.message_id, ...(fallback ? { fallback } : {}) }, 'post sent');
    } catch (err) {
      log.error({ err, messageId: sent.message_id }, 'post sent but not recorded; it stays in sending');
    }
  }

  /**
   * The source corrected the headline of a post already sent: the message is edited in place with
   * the post as it is made now (editMessageCaption for a photo post), never posted again. Telegram's
   * "not modified" ends it; "not found" or "can't be edited" end it with the answer recorded.
   */
  async function deliverEdit(delivery: DeliveryRecord, messageId: number): Promise<void> {
    const log = logger.child({ deliveryId: delivery.id, chatId: delivery.chatId, itemId: delivery.itemId, messageId });
    const fallback = fallbacks.get(delivery.id);
    fallbacks.delete(delivery.id);
    const composed = composePost(delivery, {
      limits: fallback === 'shorten' ? shortPostLimits : postLimits,
      textOnly: fallback !== undefined || !options.sendPhoto,
    });
    const caption =
      fallback === 'caption-instead' ? formatPost({ headline: delivery.headline, link: delivery.link }, captionLimits)
      : composed.kind === 'photo' ? composed.caption
      : null;
    const { editMessageText, editMessageCaption } = options;
    if (caption !== null ? !editMessageCaption : !editMessageText) {
      await store.markDeliveryEdited(delivery.id, 'edits of sent posts are not wired').catch((err: unknown) => log.error({ err }, 'could not record an edit'));
      return;
    }
    const started = performance.now();
    try {
      if (caption !== null) {
        await editMessageCaption!(delivery.chatId, messageId, { caption, parse_mode: 'HTML' });
      } else if (composed.kind === 'text') {
        // (No caption means a text post: a photo post always edits its caption.)
        const { html } = composed;
        const preview = delivery.settings.linkPreview ? {} : { link_preview_options: { is_disabled: true } };
        if (fallback === 'plain-text') await editMessageText!(delivery.chatId, messageId, plainTextOf(html), preview);
        else await editMessageText!(delivery.chatId, messageId, html, { parse_mode: 'HTML', ...preview });
      }
    } catch (err) {
      const decision = classifySendError(err, {
        attempts: delivery.attempts,
        maxAttempts,
        fallback: fallback !== undefined,
        photo: caption !== null,
        edit: true,
      });
      options.onSendDone?.({ outcome: decision.action, ms: performance.now() - started });
      await applyDecision(delivery, decision, log).catch((storeErr: unknown) => log.error({ err: storeErr }, 'could not record a failed edit'));
      return;
    }
    options.onSendDone?.({ outcome: 'sent', ms: performance.now() - started });
    try {
      await store.markDeliveryEdited(delivery.id, null);
      log.info({ ...(fallback ? { fallback } : {}) }, 'post edited: the source corrected its headline');
    } catch (err) {
      log.error({ err }, 'post edited but not recorded; it stays in sending');
    }
  }

  /** Where and how a chat wants its messages: its forum topic, and silently or not. */
  function sendOptions(delivery: DeliveryRecord): { message_thread_id?: number; disable_notification?: boolean } {
    return {
      // A subscription made inside a forum topic posts to that topic.
      ...(delivery.threadId === null ? {} : { message_thread_id: delivery.threadId }),
      ...(delivery.settings.silent ? { disable_notification: true } : {}),
    };
  }

  function sendText(delivery: DeliveryRecord, html: string, fallback: Fallback | undefined): Promise<{ message_id: number }> {
    const other = {
      ...sendOptions(delivery),
      ...(delivery.settings.linkPreview ? {} : { link_preview_options: { is_disabled: true } }),
    };
    if (fallback === 'plain-text') return sendMessage(delivery.chatId, plainTextOf(html), other);
    return sendMessage(delivery.chatId, html, { parse_mode: 'HTML', ...other });
  }

  /**
   * A digest: one message listing the claimed headlines, several when too long for one, sent one
   * after the other within the chat's pace. Each message's rows are marked sent as soon as Telegram
   * took it, so a failure later on resends only what was not sent.
   */
  async function deliverDigest(delivery: DeliveryRecord): Promise<void> {
    const log = logger.child({ deliveryId: delivery.id, chatId: delivery.chatId, digest: delivery.rowIds.length });
    const heading = options.translate?.(delivery.settings.language, 'digest-heading', { count: delivery.items.length }) ?? null;
    const parts = formatDigest(delivery.items, heading);
    let done = 0;
    for (const [index, part] of parts.entries()) {
      const rows = delivery.rowIds.slice(done, done + part.entries);
      // The claim paced the first message; the others wait their turn under the same limits.
      if (index > 0) await waitForRoom(delivery.chatId, delivery.chatKind);
      const fallback = fallbacks.get(rows[0]!);
      fallbacks.delete(rows[0]!);
      const started = performance.now();
      let sent: { message_id: number };
      try {
        sent = await sendText({ ...delivery, settings: { ...delivery.settings, linkPreview: false } }, part.html, fallback);
      } catch (err) {
        const decision = classifySendError(err, { attempts: delivery.attempts, maxAttempts, fallback: fallback !== undefined });
        options.onSendDone?.({ outcome: decision.action, ms: performance.now() - started });
        const rest = delivery.rowIds.slice(done);
        await applyDecision({ ...delivery, id: rest[0]!, rowIds: rest }, decision, log).catch((storeErr: unknown) =>
          log.error({ err: storeErr }, 'could not record a failed send'),
        );
        return;
      }
      options.onSendDone?.({ outcome: 'sent', ms: performance.now() - started });
      done += part.entries;
      try {
        await store.markDeliverySent(rows, sent.message_id);
        log.info({ messageId: sent.message_id, headlines: rows.length, part: index + 1, parts: parts.length }, 'digest sent');
      } catch (err) {
        log.error({ err, messageId: sent.message_id }, 'digest sent but not recorded; it stays in sending');
        return;
      }
    }
  }

  /** Waits until the pacer lets one more send start to this chat, and books it. */
  async function waitForRoom(chatId: number, kind: ChatKind): Promise<void> {
    if (turns) {
      // A turn from the budget every process shares (while stopping, the part goes without one).
      while (running && !(await turns.waitForTurn(chatId, kind)));
      pacer.recordStart(chatId, Date.now());
      return;
    }
    for (;;) {
      const now = Date.now();
      const wait = Math.max(pacer.postWaitMs(now), pacer.chatWaitMs(chatId, kind, now));
      if (wait <= 0) {
        pacer.recordStart(chatId, now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Does what classifySendError decided; every branch leaves the delivery out of `sending`. */
  async function applyDecision(delivery: DeliveryRecord, decision: SendDecision, log: Logger): Promise<void> {
    const now = Date.now();
    const { reason } = decision;
    switch (decision.action) {
      case 'retry-after':
        pacer.blockChat(delivery.chatId, now + decision.retryAfterMs);
        await store.markDeliveryRetry(delivery.rowIds, new Date(now + decision.retryAfterMs), reason);
        log.warn({ retryAfterMs: decision.retryAfterMs }, 'telegram asked to slow down; will resend after retry_after');
        return;
      case 'retry':
        await store.markDeliveryRetry(delivery.rowIds, new Date(now + decision.delayMs), reason);
        log.warn({ err: reason, attempts: delivery.attempts, delayMs: decision.delayMs }, 'send failed on telegram or the network; will retry');
        return;
      case 'migrate':
        await store.migrateChat(delivery.chatId, decision.toChatId);
        chatKinds.set(decision.toChatId, 'supergroup');
        await store.markDeliveryRetry(delivery.rowIds, new Date(now), reason);
        log.info({ newChatId: decision.toChatId }, 'group was upgraded; subscription moved');
        return;
      case 'pause-chat':
        // Pauses the chat's other waiting posts too, so no further send is attempted there.
        await store.pauseChat(delivery.chatId, reason);
        log.warn({ err: reason }, 'chat refuses posts; its subscriptions are paused');
        try {
          onChatPaused?.({ chatId: delivery.chatId, reason });
        } catch (err) {
          log.error({ err }, 'could not report a paused chat');
        }
        return;
      case 'plain-text':
      case 'shorten':
      case 'text-instead':
      case 'caption-instead':
        // Back through the queue, so the second send waits its turn under the chat's limits.
        rememberFallback(delivery.id, decision.action);
        await store.markDeliveryRetry(delivery.rowIds, new Date(now), reason);
        log.warn({ err: reason, fallback: decision.action }, 'post refused as written; sending it once more, simpler');
        return;
      case 'unchanged':
        await store.markDeliveryEdited(delivery.id, null);
        log.info('post already reads as corrected');
        return;
      case 'failed':
        if (delivery.editMessageId != null) {
          // The post stays as it was sent: an edit Telegram will not make is never a new post.
          await store.markDeliveryEdited(delivery.id, reason);
          log.warn({ err: reason, attempts: delivery.attempts }, 'edit of a sent post refused by telegram; the post stays as sent');
          return;
        }
        await store.markDeliveryFailed(delivery.rowIds, reason);
        log.error({ err: reason, attempts: delivery.attempts }, 'post refused by telegram; marked failed');
        return;
    }
  }

  function rememberFallback(deliveryId: number, fallback: Fallback): void {
    // A delivery paused or moved before its resend leaves its entry behind: bound the map.
    if (fallbacks.size >= maxRememberedFallbacks) {
      const oldest = fallbacks.keys().next();
      if (!oldest.done) fallbacks.delete(oldest.value);
    }
    fallbacks.set(deliveryId, fallback);
  }

  /** Waits for the send's turn in the shared budget, then sends; without one in time, hands it back. */
  async function deliverInTurn(delivery: DeliveryRecord): Promise<void> {
    if (await turns!.waitForTurn(delivery.chatId, delivery.chatKind)) return deliver(delivery);
    await store
      .markDeliveryRetry(delivery.rowIds, new Date(), 'paced')
      .catch((err: unknown) => logger.error({ err, deliveryId: delivery.id }, 'could not hand back a send that got no turn'));
  }

  async function run(): Promise<void> {
    const requeued = await store.requeueInterruptedDeliveries();
    if (requeued > 0) logger.warn({ requeued }, 'posts interrupted by a previous stop will be sent again');
    while (running) {
      try {
        const waitMs = await step();
        if (running && waitMs > 0) await sleep(waitMs);
      } catch (err) {
        logger.error({ err }, 'delivery step failed');
        if (running) await sleep(idleMs);
      }
    }
  }

  /** Starts what may start now; returns how long to wait before looking again. */
  async function step(): Promise<number> {
    notified = false;
    const now = Date.now();
    if (inFlight.size >= concurrency) return idleMs; // a finishing send wakes us
    const room = Math.min(concurrency - inFlight.size, turns ? concurrency : pacer.postRoom(now));
    if (room <= 0) return pacer.postWaitMs(now);

    const busy = pacer.busyChats(now, (id) => chatKinds.get(id));
    const exclude = [...new Set([...inFlightChatIds.values(), ...busy.chatIds])];
    const claimed = await store.claimDueDeliveries({ now: new Date(now), limit: room, excludeChatIds: exclude });
    let started = 0;
    for (const delivery of claimed) {
      chatKinds.set(delivery.chatId, delivery.chatKind);
      const startAt = Date.now();
      const wait = Math.max(turns ? 0 : pacer.postWaitMs(startAt), pacer.chatWaitMs(delivery.chatId, delivery.chatKind, startAt));
      if (wait > 0) {
        // The window filled while we claimed: hand it back, untouched, for the next step.
        await store.markDeliveryRetry(delivery.rowIds, new Date(startAt), 'paced');
        continue;
      }
      pacer.recordStart(delivery.chatId, startAt);
      started += 1;
      inFlightChatIds.set(delivery.id, delivery.chatId);
      const task = (turns ? deliverInTurn(delivery) : deliver(delivery)).finally(() => {
        inFlight.delete(delivery.id);
        inFlightChatIds.delete(delivery.id);
        wake?.();
      });
      inFlight.set(delivery.id, task);
    }
    if (started > 0) return 0;
    // Nothing could start: sleep until the next row is due or the first busy chat frees up.
    const nextDue = await store.nextDeliveryDueAt();
    const untilDue = nextDue ? nextDue.getTime() - Date.now() : Infinity;
    const wait = untilDue > 0 ? Math.min(untilDue, busy.firstFreeInMs) : busy.firstFreeInMs;
    return Math.max(10, Math.min(idleMs, wait));
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    notify() {
      if (wake) wake();
      else notified = true;
    },
    async stop({ graceMs = 5000 } = {}) {
      running = false;
      wake?.();
      await loop;
      // Sends still waiting for a turn go back to the queue now, before the store closes.
      turns?.close();
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), graceMs)));
      const outcome = await Promise.race([Promise.allSettled([...inFlight.values()]), expired]);
      clearTimeout(timer);
      if (outcome === 'expired') logger.warn({ inFlight: inFlight.size }, 'stopped with sends unanswered; they will be resent after restart');
    },
  };
}
