import { Api } from 'grammy';
import type { SendMessage } from './delivery-worker.js';

/**
 * The outbox's own connection to the Bot API, without auto-retry: the outbox decides itself what a
 * 429 or a timeout means for a post (grammY's auto-retry would resend blindly).
 */
export function createTelegramSendMessage(options: { token: string; apiRoot: string }): SendMessage {
  // A post that gets no answer in 30 s is retried by the outbox, instead of waiting grammY's default 500 s.
  const api = new Api(options.token, { apiRoot: options.apiRoot, timeoutSeconds: 30 });
  return (chatId, text, other) => api.sendMessage(chatId, text, other);
}
