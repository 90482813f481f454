import { GrammyError, HttpError } from 'grammy';

/**
 * What the outbox does after Telegram (or the network) refused a post. Each action carries the
 * `reason` recorded on the delivery, Telegram's description or the network error's message.
 */
export type SendDecision =
  /** Telegram asked to slow down: hold that chat back for `retryAfterMs`, then send the same post. */
  | { action: 'retry-after'; retryAfterMs: number; reason: string }
  /** A server or network failure: send the same post again after `delayMs`. */
  | { action: 'retry'; delayMs: number; reason: string }
  /** The chat no longer takes posts from the bot: pause its subscriptions, send nothing more there. */
  | { action: 'pause-chat'; reason: string }
  /** A group became a supergroup: move its subscriptions to `toChatId` and send there. */
  | { action: 'migrate'; toChatId: number; reason: string }
  /** Telegram could not read the post's HTML: send it once as plain text. */
  | { action: 'plain-text'; reason: string }
  /** The post is over Telegram's length limit: send it once shortened. */
  | { action: 'shorten'; reason: string }
  /** Telegram would not take the post's picture (a bad or unreachable image): send the text post instead. */
  | { action: 'text-instead'; reason: string }
  /** An edit of a text post found a photo (its caption is the post): edit the caption instead. */
  | { action: 'caption-instead'; reason: string }
  /** An edit changed nothing ("message is not modified"): the post already reads as it should. Done. */
  | { action: 'unchanged'; reason: string }
  /**
   * Nothing will make Telegram take this post: mark it failed, the queue goes on. For an edit
   * ("message to edit not found", "message can't be edited"): the edit is given up and recorded, the
   * post stays as it was sent, and nothing is posted again.
   */
  | { action: 'failed'; reason: string };

export interface SendAttempt {
  /** Attempts already made for this delivery, this one included. */
  attempts: number;
  /** Attempts after which a post that keeps failing for a transient reason is given up. */
  maxAttempts: number;
  /**
   * This was already the fallback send (plain text or shortened): a second fallback is not tried,
   * so a post that Telegram refuses for its content is marked failed rather than resent forever.
   */
  fallback?: boolean;
  /** This was a sendPhoto: a 400 about it is answered with the text post instead. */
  photo?: boolean;
  /** This was an edit of a sent post (editMessageText, or editMessageCaption when `photo`). */
  edit?: boolean;
}

// What Telegram answers an edit that cannot be made; a literal substring test each (linear time).
const editImpossible = ['message to edit not found', "message can't be edited", 'message_id_invalid'];

// Telegram answers these when the bot cannot post to a chat any more; retrying would only annoy it.
// Each is a literal substring test on a capped description (linear time).
const chatGone = [
  'bot was kicked',
  'bot was blocked',
  'not a member',
  'chat not found',
  'need administrator rights',
  'not enough rights',
  'have no rights to send',
  'user is deactivated',
  'chat_write_forbidden',
  'chat_restricted',
  'group chat was deactivated',
  'peer_id_invalid',
];

const maxReasonLength = 500;
const maxRetryAfterMs = 60 * 60_000;

/**
 * Decides what Telegram's answer to a send (or to an edit of a sent post) means for the post (issue 13 §4). A plain
 * function of the error and the attempt, so the table is tested on its own and the worker only acts.
 */
export function classifySendError(err: unknown, attempt: SendAttempt): SendDecision {
  if (err instanceof GrammyError) {
    const reason = err.description.slice(0, maxReasonLength);
    const description = reason.toLowerCase();
    const code = err.error_code;
    const { retry_after: retryAfter, migrate_to_chat_id: toChatId } = err.parameters ?? {};
    if (code === 429) {
      // Telegram says how long; a missing or absurd value is bounded rather than trusted.
      const seconds = typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter : 5;
      return { action: 'retry-after', retryAfterMs: Math.min(maxRetryAfterMs, seconds * 1000), reason };
    }
    if (typeof toChatId === 'number' && toChatId !== 0) return { action: 'migrate', toChatId, reason };
    if (code === 403 || chatGone.some((phrase) => description.includes(phrase))) return { action: 'pause-chat', reason };
    if (code >= 500) return transient(reason, attempt);
    if (code === 400 && attempt.edit) {
      if (description.includes('message is not modified')) return { action: 'unchanged', reason };
      if (editImpossible.some((phrase) => description.includes(phrase))) return { action: 'failed', reason };
      // The post is the other kind of message than the edit thought (its photo was refused when it was
      // posted, or the chat's style changed since): once, the other edit.
      if (!attempt.fallback && description.includes('no caption in the message')) return { action: 'text-instead', reason };
      if (!attempt.fallback && description.includes('no text in the message')) return { action: 'caption-instead', reason };
    }
    // "wrong type of the web page content", "failed to get HTTP URL content", IMAGE_PROCESS_FAILED,
    // PHOTO_INVALID_DIMENSIONS…: the picture is at fault (Telegram fetches it itself), the post is not.
    if (code === 400 && attempt.photo && !attempt.edit) return { action: 'text-instead', reason };
    if (code === 400 && !attempt.fallback) {
      if (description.includes("can't parse entities") || description.includes('can not parse entities')) {
        return { action: 'plain-text', reason };
      }
      if (description.includes('message is too long') || description.includes('text is too long')) {
        return { action: 'shorten', reason };
      }
    }
    return { action: 'failed', reason };
  }
  // grammY wraps every failure below HTTP (refused, reset, timed out) in HttpError; anything else
  // thrown by the send is treated the same: the post may not have reached Telegram.
  const reason = (err instanceof HttpError || err instanceof Error ? err.message : String(err)).slice(0, maxReasonLength);
  return transient(reason, attempt);
}

function transient(reason: string, attempt: SendAttempt): SendDecision {
  if (attempt.attempts >= attempt.maxAttempts) return { action: 'failed', reason };
  return { action: 'retry', delayMs: backoffMs(attempt.attempts), reason };
}

/** 1 s after the first failure, doubling, at most 10 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(10 * 60_000, 1000 * 2 ** Math.max(0, attempts - 1));
}
