import { Api } from 'grammy';
import type { EditMessageCaption, EditMessageText, SendMessage, SendPhoto } from './delivery-worker.js';

/** The Bot API calls the outbox makes, on one connection. */
export interface TelegramSender {
  sendMessage: SendMessage;
  sendPhoto: SendPhoto;
  /** Edits a sent post whose headline the source corrected (editMessageCaption for a photo post). */
  editMessageText: EditMessageText;
  editMessageCaption: EditMessageCaption;
}

/**
 * The outbox's own connection to the Bot API, without auto-retry: the outbox decides itself what a
 * 429 or a timeout means for a post (grammY's auto-retry would resend blindly).
 */
export function createTelegramSender(options: { token: string; apiRoot: string }): TelegramSender {
  // A post that gets no answer in 30 s is retried by the outbox, instead of waiting grammY's default 500 s.
  const api = new Api(options.token, { apiRoot: options.apiRoot, timeoutSeconds: 30 });
  return {
    sendMessage: (chatId, text, other) => api.sendMessage(chatId, text, other),
    // A URL: Telegram fetches the picture itself (and may refuse it: classifySendError's `text-instead`).
    sendPhoto: (chatId, photo, other) => api.sendPhoto(chatId, photo, other),
    editMessageText: (chatId, messageId, text, other) => api.editMessageText(chatId, messageId, text, other),
    editMessageCaption: (chatId, messageId, other) => api.editMessageCaption(chatId, messageId, other),
  };
}

/** Only the sendMessage of {@link createTelegramSender}. */
export function createTelegramSendMessage(options: { token: string; apiRoot: string }): SendMessage {
  return createTelegramSender(options).sendMessage;
}
