import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { backoffMs, classifySendError, type SendDecision } from '../../src/delivery/classify-send-error.js';

function telegramSays(code: number, description: string, parameters: Record<string, unknown> = {}): GrammyError {
  return new GrammyError(`Call to 'sendMessage' failed! (${code}: ${description})`, { ok: false, error_code: code, description, parameters }, 'sendMessage', {});
}

const first = { attempts: 1, maxAttempts: 10 };

describe('what a refused send means (issue 13 §4)', () => {
  const table: Array<[string, unknown, Partial<SendDecision>]> = [
    ['429 waits retry_after for that chat', telegramSays(429, 'Too Many Requests: retry after 7', { retry_after: 7 }), { action: 'retry-after', retryAfterMs: 7000 }],
    ['429 without retry_after waits 5 s', telegramSays(429, 'Too Many Requests'), { action: 'retry-after', retryAfterMs: 5000 }],
    ['429 asking for a day waits an hour at most', telegramSays(429, 'Too Many Requests', { retry_after: 86_400 }), { action: 'retry-after', retryAfterMs: 3_600_000 }],
    ["400 can't parse entities resends as plain text", telegramSays(400, "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3"), { action: 'plain-text' }],
    ['400 message is too long resends shortened', telegramSays(400, 'Bad Request: message is too long'), { action: 'shorten' }],
    ['400 migrate_to_chat_id moves the chat', telegramSays(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001234 }), { action: 'migrate', toChatId: -1001234 }],
    ['403 kicked pauses the chat', telegramSays(403, 'Forbidden: bot was kicked from the channel chat'), { action: 'pause-chat' }],
    ['403 blocked by the user pauses the chat', telegramSays(403, 'Forbidden: bot was blocked by the user'), { action: 'pause-chat' }],
    ['403 of any other wording pauses the chat', telegramSays(403, 'Forbidden: something new'), { action: 'pause-chat' }],
    ['400 chat not found pauses the chat', telegramSays(400, 'Bad Request: chat not found'), { action: 'pause-chat' }],
    ['400 not enough rights pauses the chat', telegramSays(400, 'Bad Request: not enough rights to send text messages to the chat'), { action: 'pause-chat' }],
    ['400 need administrator rights pauses the chat', telegramSays(400, 'Bad Request: need administrator rights in the channel chat'), { action: 'pause-chat' }],
    ['400 CHAT_WRITE_FORBIDDEN pauses the chat', telegramSays(400, 'Bad Request: CHAT_WRITE_FORBIDDEN'), { action: 'pause-chat' }],
    ['500 backs off', telegramSays(500, 'Internal Server Error'), { action: 'retry', delayMs: 1000 }],
    ['502 backs off', telegramSays(502, 'Bad Gateway'), { action: 'retry', delayMs: 1000 }],
    ['a network failure backs off', new HttpError("Network request for 'sendMessage' failed!", new Error('connect ECONNREFUSED')), { action: 'retry', delayMs: 1000 }],
    ['anything else thrown backs off', new Error('socket hang up'), { action: 'retry' }],
    ['another 400 marks the post failed', telegramSays(400, 'Bad Request: wrong HTTP URL specified'), { action: 'failed' }],
    ['a 404 marks the post failed', telegramSays(404, 'Not Found'), { action: 'failed' }],
  ];

  it.each(table)('%s', (_name, err, expected) => {
    expect(classifySendError(err, first)).toMatchObject(expected);
  });

  const photo = { ...first, photo: true };
  const photoTable: Array<[string, unknown, Partial<SendDecision>]> = [
    ['400 wrong type of the web page content', telegramSays(400, 'Bad Request: wrong type of the web page content'), { action: 'text-instead' }],
    ['400 failed to get HTTP URL content', telegramSays(400, 'Bad Request: failed to get HTTP URL content'), { action: 'text-instead' }],
    ['400 wrong file identifier/HTTP URL specified', telegramSays(400, 'Bad Request: wrong file identifier/HTTP URL specified'), { action: 'text-instead' }],
    ['400 IMAGE_PROCESS_FAILED', telegramSays(400, 'Bad Request: IMAGE_PROCESS_FAILED'), { action: 'text-instead' }],
    ['400 PHOTO_INVALID_DIMENSIONS', telegramSays(400, 'Bad Request: PHOTO_INVALID_DIMENSIONS'), { action: 'text-instead' }],
    ["400 can't parse entities in the caption", telegramSays(400, "Bad Request: can't parse entities: Unsupported start tag"), { action: 'text-instead' }],
    ['429 still waits retry_after', telegramSays(429, 'Too Many Requests: retry after 3', { retry_after: 3 }), { action: 'retry-after', retryAfterMs: 3000 }],
    ['403 kicked still pauses the chat', telegramSays(403, 'Forbidden: bot was kicked from the channel chat'), { action: 'pause-chat' }],
    ['400 chat not found still pauses the chat', telegramSays(400, 'Bad Request: chat not found'), { action: 'pause-chat' }],
    ['400 migrate_to_chat_id still moves the chat', telegramSays(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1009 }), { action: 'migrate', toChatId: -1009 }],
    ['502 still backs off', telegramSays(502, 'Bad Gateway'), { action: 'retry' }],
    ['a network failure still backs off', new HttpError("Network request for 'sendPhoto' failed!", new Error('socket hang up')), { action: 'retry' }],
  ];

  it.each(photoTable)('a refused photo: %s', (_name, err, expected) => {
    expect(classifySendError(err, photo)).toMatchObject(expected);
  });

  it('sends the text post instead of a refused photo only for a photo: the same 400 to a text post marks it failed', () => {
    expect(classifySendError(telegramSays(400, 'Bad Request: wrong type of the web page content'), first)).toMatchObject({ action: 'failed' });
  });

  it('carries Telegram’s description as the reason, capped', () => {
    const long = `Bad Request: ${'x'.repeat(5000)}`;
    const decision = classifySendError(telegramSays(400, long), first);
    expect(decision.reason.startsWith('Bad Request: xxx')).toBe(true);
    expect(decision.reason.length).toBeLessThanOrEqual(500);
  });

  it('gives up on a transient failure after the last attempt', () => {
    expect(classifySendError(telegramSays(502, 'Bad Gateway'), { attempts: 10, maxAttempts: 10 })).toMatchObject({ action: 'failed' });
    expect(classifySendError(new HttpError('Network request failed!', null), { attempts: 10, maxAttempts: 10 })).toMatchObject({ action: 'failed' });
    expect(classifySendError(telegramSays(502, 'Bad Gateway'), { attempts: 9, maxAttempts: 10 })).toMatchObject({ action: 'retry' });
  });

  it('backs off longer after each failure, up to ten minutes', () => {
    expect(classifySendError(telegramSays(503, 'Service Unavailable'), { attempts: 3, maxAttempts: 10 })).toMatchObject({ delayMs: 4000 });
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30)).toBe(600_000);
  });

  it('does not fall back twice: a plain-text or shortened resend refused for its content is marked failed', () => {
    const again = { ...first, fallback: true };
    expect(classifySendError(telegramSays(400, "Bad Request: can't parse entities"), again)).toMatchObject({ action: 'failed' });
    expect(classifySendError(telegramSays(400, 'Bad Request: message is too long'), again)).toMatchObject({ action: 'failed' });
    // What concerns the chat, not the post, still applies to a fallback.
    expect(classifySendError(telegramSays(429, 'Too Many Requests', { retry_after: 2 }), again)).toMatchObject({ action: 'retry-after' });
    expect(classifySendError(telegramSays(403, 'Forbidden: bot was kicked'), again)).toMatchObject({ action: 'pause-chat' });
  });
});

describe('what a refused edit of a sent post means (a corrected headline, issue 13 §4)', () => {
  const edit = { ...first, edit: true };
  const table: Array<[string, unknown, Partial<SendDecision>]> = [
    [
      'message is not modified: the post already reads so, done',
      telegramSays(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'),
      { action: 'unchanged' },
    ],
    ['message to edit not found: given up and recorded, never posted again', telegramSays(400, 'Bad Request: message to edit not found'), { action: 'failed' }],
    ["message can't be edited: given up and recorded", telegramSays(400, "Bad Request: message can't be edited"), { action: 'failed' }],
    ['MESSAGE_ID_INVALID: given up and recorded', telegramSays(400, 'Bad Request: MESSAGE_ID_INVALID'), { action: 'failed' }],
    ['a text edit of a photo post edits its caption instead', telegramSays(400, 'Bad Request: there is no text in the message to edit'), { action: 'caption-instead' }],
    ['429 waits retry_after, as for a post', telegramSays(429, 'Too Many Requests: retry after 3', { retry_after: 3 }), { action: 'retry-after', retryAfterMs: 3000 }],
    ['5xx backs off, as for a post', telegramSays(502, 'Bad Gateway'), { action: 'retry', delayMs: 1000 }],
    ['a network failure backs off', new HttpError("Network request for 'editMessageText' failed!", new Error('socket hang up')), { action: 'retry' }],
    ['403 kicked pauses the chat, as for a post', telegramSays(403, 'Forbidden: bot was kicked from the channel chat'), { action: 'pause-chat' }],
    ["can't parse entities edits once as plain text", telegramSays(400, "Bad Request: can't parse entities: Unsupported start tag"), { action: 'plain-text' }],
  ];

  it.each(table)('%s', (_name, err, expected) => {
    expect(classifySendError(err, edit)).toMatchObject(expected);
  });

  it('edits the text of a post whose photo was refused when it was posted, and does not take a caption edit’s 400 for a bad picture', () => {
    const captionEdit = { ...edit, photo: true };
    expect(classifySendError(telegramSays(400, 'Bad Request: there is no caption in the message to edit'), captionEdit)).toMatchObject({ action: 'text-instead' });
    expect(classifySendError(telegramSays(400, 'Bad Request: message to edit not found'), captionEdit)).toMatchObject({ action: 'failed' });
    // A sendPhoto's 400 is about the picture; the same answer to a caption edit is not.
    expect(classifySendError(telegramSays(400, 'Bad Request: wrong type of the web page content'), { ...first, photo: true })).toMatchObject({ action: 'text-instead' });
    expect(classifySendError(telegramSays(400, 'Bad Request: wrong type of the web page content'), captionEdit)).toMatchObject({ action: 'failed' });
  });

  it('switches between text and caption edits once only', () => {
    const again = { ...edit, fallback: true };
    expect(classifySendError(telegramSays(400, 'Bad Request: there is no text in the message to edit'), again)).toMatchObject({ action: 'failed' });
    expect(classifySendError(telegramSays(400, 'Bad Request: there is no caption in the message to edit'), { ...again, photo: true })).toMatchObject({ action: 'failed' });
  });

  it('gives up a transient failure of an edit after the last attempt, recorded as failed (the worker keeps the post as sent)', () => {
    expect(classifySendError(telegramSays(502, 'Bad Gateway'), { ...edit, attempts: 10 })).toMatchObject({ action: 'failed' });
  });
});
