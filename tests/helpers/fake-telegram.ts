import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the stand-in Bot API. */
export interface RecordedCall {
  method: string;
  params: Record<string, any>;
  at: number;
  /** What the stand-in answered (`result` of an ok answer), once it has answered. */
  result?: any;
  /** The caller's connection closed before the answer could be written (it was killed mid-call). */
  unanswered?: boolean;
}

type ApiAnswer =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: Record<string, unknown> };

type Handler = (params: Record<string, any>) => ApiAnswer | undefined;

export interface FakeUser {
  id: number;
  first_name: string;
  username?: string;
  language_code?: string;
}

export interface FakeChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
}

/**
 * A stand-in for the Telegram Bot API: a real HTTP server on 127.0.0.1 speaking the Bot API's shape
 * (`POST /bot<token>/<method>`, JSON bodies, `{ok, result}` or `{ok:false, error_code, description,
 * parameters}`). It records every call, lets a test push updates to getUpdates (long polling
 * included), and answers getChat/getChatMember from what the test declared.
 */
export class FakeTelegram {
  readonly calls: RecordedCall[] = [];
  readonly botUser = { id: 7000001, is_bot: true, first_name: 'nashra', username: 'nashra_test_bot' };
  private server!: http.Server;
  private updates: Array<Record<string, unknown> & { update_id: number }> = [];
  private nextUpdateId = 1;
  private nextMessageId = 1000;
  private waiters = new Set<() => void>();
  private callListeners = new Set<() => void>();
  private chats = new Map<string, FakeChat>();
  private members = new Map<string, Record<string, unknown>>();
  private overrides = new Map<string, Handler[]>();
  /** Files users "sent", served by getFile and the file download URL. */
  private files = new Map<string, { path: string; content: Buffer }>();
  /** Texts of the messages the bot sent, by `chatId:messageId`, so edits can be checked as Telegram does. */
  private texts = new Map<string, string>();
  /** Paths requested at `/file/bot<token>/<path>`, in order. */
  readonly fileDownloads: string[] = [];
  /** Photo URLs sendPhoto refuses, as Telegram does a URL that is not a picture (see {@link refusePhoto}). */
  private refusedPhotos = new Set<string>();
  /** Messages sent as photos (`chatId:messageId`): their caption is edited, not their text. */
  private photoMessages = new Set<string>();
  /** What every edit is answered with while set (see {@link refuseEdits}). */
  private editRefusal: string | null = null;

  /**
   * `checkMessages`: sendMessage refuses, as Telegram does, a text longer than 4,096 characters once
   * its HTML is read ("message is too long") and HTML it cannot read ("can't parse entities").
   * `floodLimits`: messages sent (sendMessage, sendPhoto, sendDocument, editMessageText) beyond Telegram's
   * limits are refused with 429 and a retry_after, as Telegram does: more than `globalPerSecond` in any
   * second overall, `privatePerSecond` to one private chat, `groupPerMinute` to one group or channel.
   * `messageDelayMs`: message sends are answered this long after they arrive (they took effect at once).
   */
  constructor(
    readonly token: string,
    readonly options: { checkMessages?: boolean; floodLimits?: FloodLimits; messageDelayMs?: number } = {},
  ) {}

  /** Sends refused with 429 by `floodLimits`, in order. */
  readonly floodRefusals: RecordedCall[] = [];
  /** When each accepted message was sent: overall, and by chat. */
  private readonly sentAt: number[] = [];
  private readonly chatSentAt = new Map<number, number[]>();

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    for (const wake of this.waiters) wake();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Declares a chat getChat can find (by id, and by @username when it has one). */
  addChat(chat: FakeChat): void {
    this.chats.set(String(chat.id), chat);
    if (chat.username) this.chats.set(`@${chat.username.toLowerCase()}`, chat);
  }

  /** Declares what getChatMember answers for (chat, user). */
  setMember(chatId: number, userId: number, status: 'creator' | 'administrator' | 'member' | 'left' | 'kicked', extra: Record<string, unknown> = {}): void {
    const user = userId === this.botUser.id ? this.botUser : { id: userId, is_bot: false, first_name: `user${userId}` };
    this.members.set(`${chatId}:${userId}`, { status, user, ...extra });
  }

  /** The next call of `method` gets this answer instead of the normal one (queued, one use each). */
  answerNext(method: string, handler: Handler): void {
    const list = this.overrides.get(method) ?? [];
    list.push(handler);
    this.overrides.set(method, list);
  }

  /**
   * editMessageText and editMessageCaption answer 400 with this description from now on (null: they
   * edit again), as Telegram does a message it will not edit: "Bad Request: message can't be edited",
   * "Bad Request: message to edit not found".
   */
  refuseEdits(description: string | null): void {
    this.editRefusal = description;
  }

  /** sendPhoto refuses this URL from now on ("wrong type of the web page content"), as Telegram does a page that is not a picture. */
  refusePhoto(url: string): void {
    this.refusedPhotos.add(url);
  }

  /** Declares a file getFile can find and `/file/bot<token>/<path>` serves. */
  addFile(fileId: string, content: Buffer | string, filePath = `documents/${fileId}`): void {
    this.files.set(fileId, { path: filePath, content: Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8') });
  }

  /** A user sends a file (a `document` message), as Telegram delivers it; returns its update_id. */
  sendDocument(
    from: FakeUser | null,
    chat: FakeChat,
    document: { fileName: string; content: Buffer | string; mimeType?: string; fileSize?: number },
  ): number {
    const fileId = `file-${this.nextMessageId}-${document.fileName}`;
    this.addFile(fileId, document.content, `documents/file_${this.nextMessageId}.${document.fileName.split('.').pop()}`);
    const size = document.fileSize ?? Buffer.byteLength(document.content);
    const message: Record<string, unknown> = {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      document: {
        file_id: fileId,
        file_unique_id: `u-${fileId}`,
        file_name: document.fileName,
        mime_type: document.mimeType ?? 'application/octet-stream',
        file_size: size,
      },
    };
    if (from) message.from = { is_bot: false, ...from };
    return this.pushUpdate({ message });
  }

  /** Queues an update for getUpdates; returns its update_id. */
  pushUpdate(update: Record<string, unknown>): number {
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, ...update });
    for (const wake of [...this.waiters]) wake();
    return update_id;
  }

  /** A text message from a user in a chat (commands get their bot_command entity, as Telegram sends). */
  sendText(from: FakeUser | null, chat: FakeChat, text: string, extra: Record<string, unknown> = {}): number {
    const message: Record<string, unknown> = {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      text,
      ...extra,
    };
    if (from) message.from = { is_bot: false, ...from };
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    if (command) message.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
    return this.pushUpdate(chat.type === 'channel' ? { channel_post: message } : { message });
  }

  /**
   * A user presses an inline button under a message the bot sent (`callback_query`, with the
   * message as Telegram attaches it); returns the callback query's id.
   */
  pressButton(from: FakeUser, chat: FakeChat, messageId: number, data: string): string {
    const id = `cq-${this.nextUpdateId}`;
    const message = { message_id: messageId, date: Math.floor(Date.now() / 1000), chat, text: this.texts.get(`${chat.id}:${messageId}`) ?? '' };
    this.pushUpdate({ callback_query: { id, from: { is_bot: false, ...from }, chat_instance: `ci-${chat.id}`, message, data } });
    return id;
  }

  /** A user types `@bot query` in any chat (`inline_query`); returns the inline query's id. */
  sendInlineQuery(from: FakeUser, query: string, offset = ''): string {
    const id = `iq-${this.nextUpdateId}`;
    this.pushUpdate({ inline_query: { id, from: { is_bot: false, ...from }, query, offset, chat_type: 'sender' } });
    return id;
  }

  /** The current text of a message the bot sent (after any edits), or undefined. */
  messageText(chatId: number, messageId: number): string | undefined {
    return this.texts.get(`${chatId}:${messageId}`);
  }

  /** Sends a text as a user and resolves with the bot's next answer in that chat. */
  async ask(from: FakeUser | null, chat: FakeChat, text: string, extra: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<string> {
    const before = this.callsOf('sendMessage', chat.id).length;
    this.sendText(from, chat, text, extra);
    return this.waitForReply(chat.id, before, timeoutMs);
  }

  /** Calls of one method, optionally only those to one chat. */
  callsOf(method: string, chatId?: number): RecordedCall[] {
    return this.calls.filter((call) => call.method === method && (chatId === undefined || Number(call.params.chat_id) === chatId));
  }

  /** Waits until a call matching `predicate` has been recorded, and returns it. */
  async waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs = 10_000): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.calls.map((call) => `${call.method} ${JSON.stringify(call.params).slice(0, 200)}`).join('\n');
        throw new Error(`no matching Bot API call within ${timeoutMs} ms; calls so far:\n${seen}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 250));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.callListeners.add(done);
      });
    }
  }

  /** Waits for the bot's reply (sendMessage) in a chat after a given number of earlier ones. */
  async waitForReply(chatId: number, after = 0, timeoutMs = 10_000): Promise<string> {
    await this.waitForCall(() => this.callsOf('sendMessage', chatId).length > after, timeoutMs);
    return String(this.callsOf('sendMessage', chatId)[after]!.params.text);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'GET' && (req.url ?? '').startsWith('/file/')) return this.serveFile(req.url ?? '', res);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    const reply = (status: number, body: ApiAnswer) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!match) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[1] !== this.token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2]!;
    let params: Record<string, any> = {};
    const contentType = String(req.headers['content-type'] ?? '');
    const raw = Buffer.concat(chunks).toString('utf8');
    if (contentType.startsWith('multipart/form-data')) {
      params = parseMultipart(Buffer.concat(chunks), contentType);
    } else if (raw.length > 0) {
      try {
        params = JSON.parse(raw) as Record<string, any>;
      } catch {
        return reply(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
      }
    }
    const call: RecordedCall = { method, params, at: Date.now() };
    this.calls.push(call);
    for (const notify of [...this.callListeners]) {
      this.callListeners.delete(notify);
      notify();
    }

    const override = this.overrides.get(method)?.shift();
    const overridden = override?.(params);
    if (overridden) return reply(overridden.ok ? 200 : overridden.error_code, overridden);
    const flood = this.floodAnswer(method, params, call.at);
    if (flood) {
      this.floodRefusals.push(call);
      return reply(429, flood);
    }

    const answer = method === 'getUpdates' ? await this.getUpdates(params, req) : this.answer(method, params);
    if (answer.ok) call.result = answer.result;
    // `messageDelayMs`: Telegram takes a while to answer a send, so sends are in flight when a caller dies.
    if (this.options.messageDelayMs && messageMethods.has(method)) await new Promise((resolve) => setTimeout(resolve, this.options.messageDelayMs));
    if (res.destroyed || req.socket.destroyed) call.unanswered = true;
    reply(answer.ok ? 200 : answer.error_code, answer);
  }

  /**
   * The 429 Telegram would answer a message send with under `floodLimits`, or undefined (the send is
   * then counted against the windows, as accepted). retry_after is the whole seconds until both
   * windows have room.
   */
  private floodAnswer(method: string, params: Record<string, any>, now: number): ApiAnswer | undefined {
    const limits = this.options.floodLimits;
    if (!limits || !messageMethods.has(method)) return undefined;
    const chatId = Number(params.chat_id);
    const chat = this.chatSentAt.get(chatId) ?? [];
    const [chatLimit, chatWindowMs] = chatId > 0 ? [limits.privatePerSecond, 1000] : [limits.groupPerMinute, 60_000];
    while (this.sentAt.length > 0 && this.sentAt[0]! <= now - 1000) this.sentAt.shift();
    while (chat.length > 0 && chat[0]! <= now - chatWindowMs) chat.shift();
    let freeAt = now;
    if (this.sentAt.length >= limits.globalPerSecond) freeAt = Math.max(freeAt, this.sentAt[this.sentAt.length - limits.globalPerSecond]! + 1000);
    if (chat.length >= chatLimit) freeAt = Math.max(freeAt, chat[chat.length - chatLimit]! + chatWindowMs);
    if (freeAt > now) {
      const seconds = Math.max(1, Math.ceil((freeAt - now) / 1000));
      return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${seconds}`, parameters: { retry_after: seconds } };
    }
    this.sentAt.push(now);
    chat.push(now);
    this.chatSentAt.set(chatId, chat);
    return undefined;
  }

  private serveFile(url: string, res: http.ServerResponse): void {
    const prefix = `/file/bot${this.token}/`;
    const path = url.startsWith(prefix) ? decodeURIComponent(url.slice(prefix.length)) : null;
    if (path !== null) this.fileDownloads.push(path);
    const file = path === null ? undefined : [...this.files.values()].find((candidate) => candidate.path === path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.content.length });
    res.end(file.content);
  }

  /**
   * getUpdates calls answered 409 because another was still waiting: Telegram allows one consumer
   * per token ("terminated by other getUpdates request").
   */
  readonly getUpdatesConflicts: Array<{ at: number }> = [];
  /** getUpdates calls received and not yet answered (nor their connection closed). */
  private consumers = 0;

  private async getUpdates(params: Record<string, any>, req: http.IncomingMessage): Promise<ApiAnswer> {
    if (this.consumers > 0) {
      this.getUpdatesConflicts.push({ at: Date.now() });
      return {
        ok: false,
        error_code: 409,
        description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      };
    }
    this.consumers += 1;
    let counted = true;
    // A consumer that died (SIGKILL) closes its connection: it no longer holds the long poll.
    const gone = () => {
      if (counted) this.consumers -= 1;
      counted = false;
    };
    req.socket.once('close', gone);
    try {
      return await this.waitForUpdates(params, req);
    } finally {
      req.socket.off('close', gone);
      gone();
    }
  }

  private async waitForUpdates(params: Record<string, any>, req: http.IncomingMessage): Promise<ApiAnswer> {
    const offset = Number(params.offset ?? 0);
    if (offset > 0) this.updates = this.updates.filter((update) => update.update_id >= offset);
    const limit = Number(params.limit ?? 100);
    const timeoutMs = Math.min(Number(params.timeout ?? 0), 50) * 1000;
    if (this.updates.length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          req.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        this.waiters.add(done);
        req.on('close', done);
      });
    }
    return { ok: true, result: this.updates.slice(0, limit) };
  }

  private answer(method: string, params: Record<string, any>): ApiAnswer {
    switch (method) {
      case 'getMe':
        return { ok: true, result: { ...this.botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } };
      // Recorded like every call (callsOf('setWebhook') shows its url, secret_token and allowed_updates).
      case 'deleteWebhook':
      case 'setWebhook':
      case 'setMyCommands':
      case 'sendChatAction':
      case 'answerCallbackQuery':
      case 'answerInlineQuery':
        return { ok: true, result: true };
      case 'sendMessage': {
        const refused = this.options.checkMessages ? checkMessageText(String(params.text ?? ''), params.parse_mode) : undefined;
        if (refused) return { ok: false, error_code: 400, description: refused };
        const chat = this.chats.get(String(params.chat_id)) ?? { id: Number(params.chat_id), type: 'private' };
        const message_id = this.nextMessageId++;
        this.texts.set(`${chat.id}:${message_id}`, String(params.text));
        return {
          ok: true,
          result: { message_id, date: Math.floor(Date.now() / 1000), chat, text: params.text },
        };
      }
      case 'sendPhoto': {
        // Telegram fetches a photo given by URL itself, and refuses one it cannot read as a picture.
        const photo = String(params.photo);
        if (this.refusedPhotos.has(photo) || !/^https?:\/\//.test(photo)) {
          return { ok: false, error_code: 400, description: 'Bad Request: wrong type of the web page content' };
        }
        const caption = params.caption === undefined ? undefined : String(params.caption);
        const refused = this.options.checkMessages && caption !== undefined ? checkMessageText(caption, params.parse_mode, 1024) : undefined;
        if (refused) return { ok: false, error_code: 400, description: refused.replace('message is too long', 'message caption is too long') };
        const chat = this.chats.get(String(params.chat_id)) ?? { id: Number(params.chat_id), type: 'private' };
        const message_id = this.nextMessageId++;
        this.photoMessages.add(`${chat.id}:${message_id}`);
        this.texts.set(`${chat.id}:${message_id}`, caption ?? '');
        return {
          ok: true,
          result: { message_id, date: Math.floor(Date.now() / 1000), chat, photo: [{ file_id: `photo-${message_id}`, file_unique_id: `u-photo-${message_id}`, width: 800, height: 600 }], caption },
        };
      }
      case 'editMessageCaption': {
        if (this.editRefusal) return { ok: false, error_code: 400, description: this.editRefusal };
        const key = `${Number(params.chat_id)}:${Number(params.message_id)}`;
        const before = this.texts.get(key);
        if (before === undefined) return { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' };
        if (!this.photoMessages.has(key)) return { ok: false, error_code: 400, description: 'Bad Request: there is no caption in the message to edit' };
        if (before === String(params.caption ?? '')) {
          return { ok: false, error_code: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message' };
        }
        this.texts.set(key, String(params.caption ?? ''));
        const chat = this.chats.get(String(params.chat_id)) ?? { id: Number(params.chat_id), type: 'private' };
        return { ok: true, result: { message_id: Number(params.message_id), date: Math.floor(Date.now() / 1000), edit_date: Math.floor(Date.now() / 1000), chat, caption: params.caption } };
      }
      case 'editMessageText': {
        if (this.editRefusal) return { ok: false, error_code: 400, description: this.editRefusal };
        const key = `${Number(params.chat_id)}:${Number(params.message_id)}`;
        const before = this.texts.get(key);
        if (before === undefined) return { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' };
        if (this.photoMessages.has(key)) return { ok: false, error_code: 400, description: 'Bad Request: there is no text in the message to edit' };
        if (before === String(params.text)) {
          return { ok: false, error_code: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message' };
        }
        this.texts.set(key, String(params.text));
        const chat = this.chats.get(String(params.chat_id)) ?? { id: Number(params.chat_id), type: 'private' };
        return { ok: true, result: { message_id: Number(params.message_id), date: Math.floor(Date.now() / 1000), edit_date: Math.floor(Date.now() / 1000), chat, text: params.text } };
      }
      case 'getFile': {
        const file = this.files.get(String(params.file_id));
        if (!file) return { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' };
        return { ok: true, result: { file_id: params.file_id, file_unique_id: `u-${params.file_id}`, file_size: file.content.length, file_path: file.path } };
      }
      case 'sendDocument': {
        const chat = this.chats.get(String(params.chat_id)) ?? { id: Number(params.chat_id), type: 'private' };
        const document = params.document as UploadedFile | string;
        const info = typeof document === 'string' ? { file_id: document } : { file_id: `sent-${this.nextMessageId}`, file_name: document.filename, file_size: document.content.length };
        return {
          ok: true,
          result: { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat, document: { file_unique_id: `u-${info.file_id}`, ...info }, caption: params.caption },
        };
      }
      case 'getChat': {
        const chat = this.chats.get(String(params.chat_id).toLowerCase());
        return chat ? { ok: true, result: chat } : { ok: false, error_code: 400, description: 'Bad Request: chat not found' };
      }
      case 'getChatMember': {
        const chat = this.chats.get(String(params.chat_id));
        if (!chat) return { ok: false, error_code: 400, description: 'Bad Request: chat not found' };
        const member = this.members.get(`${chat.id}:${params.user_id}`);
        return {
          ok: true,
          result: member ?? { status: 'left', user: { id: Number(params.user_id), is_bot: false, first_name: 'someone' } },
        };
      }
      default:
        return { ok: false, error_code: 404, description: `Not Found: method ${method} not found` };
    }
  }
}

/** Telegram's flood limits, as the stand-in applies them (see FakeTelegram's `floodLimits`). */
export interface FloodLimits {
  globalPerSecond: number;
  privatePerSecond: number;
  groupPerMinute: number;
}

/** The calls that send a message, and so count against the flood limits. */
const messageMethods = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'editMessageText', 'editMessageCaption']);

// Tags Telegram's HTML parse mode knows (https://core.telegram.org/bots/api#html-style).
const telegramTags = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'tg-emoji', 'span', 'blockquote']);
const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * Telegram's answer to a sendMessage text it refuses, or undefined: the text as the reader would see
 * it (tags read, entities decoded, trimmed) must be 1–4,096 UTF-16 units, and in HTML mode every
 * `<` must open or close a known tag, tags must nest, and every `&` must start an entity.
 */
export function checkMessageText(text: string, parseMode: unknown, maxLength = 4096): string | undefined {
  let visible = text;
  if (parseMode === 'HTML') {
    const open: string[] = [];
    let out = '';
    const token = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>|&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{1,8});|[<>&]|[^<>&]+/g;
    for (let match = token.exec(text); match; match = token.exec(text)) {
      const [whole, closing, tag, , entity] = match;
      if (tag !== undefined) {
        const name = tag.toLowerCase();
        if (!telegramTags.has(name)) return `Bad Request: can't parse entities: Unsupported start tag "${name}" at byte offset ${match.index}`;
        if (closing) {
          if (open.pop() !== name) return `Bad Request: can't parse entities: Unmatched end tag at byte offset ${match.index}, expected "</${open.at(-1) ?? ''}>", found "</${name}>"`;
        } else open.push(name);
      } else if (entity !== undefined) {
        if (entity.startsWith('#x')) out += String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
        else if (entity.startsWith('#')) out += String.fromCodePoint(Number(entity.slice(1)));
        else if (namedEntities[entity] !== undefined) out += namedEntities[entity];
        else return `Bad Request: can't parse entities: Unsupported entity "${entity}" at byte offset ${match.index}`;
      } else if (whole === '<' || whole === '&') {
        return `Bad Request: can't parse entities: Unexpected character "${whole}" at byte offset ${match.index}`;
      } else out += whole;
    }
    if (open.length > 0) return `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${open.at(-1)}"`;
    visible = out;
  }
  visible = visible.trim();
  if (visible.length === 0) return 'Bad Request: message text is empty';
  if (visible.length > maxLength) return 'Bad Request: message is too long';
  return undefined;
}

/** A file uploaded in a multipart call (sendDocument with an InputFile). */
export interface UploadedFile {
  filename: string;
  content: Buffer;
}

/**
 * Reads a multipart/form-data body as grammY writes it: fields become params (JSON values parsed),
 * file parts replace the `attach://<id>` strings that name them.
 */
function parseMultipart(body: Buffer, contentType: string): Record<string, any> {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1]?.trim();
  if (!boundary) return {};
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, any> = {};
  const files = new Map<string, UploadedFile>();
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start, next);
    at = next;
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1) continue;
    const headers = part.subarray(0, headerEnd).toString('utf8');
    let content = part.subarray(headerEnd + 4);
    if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
    const name = /name="([^"]*)"/.exec(headers)?.[1];
    if (!name) continue;
    const filename = /filename="?([^"\r\n;]*)/.exec(headers)?.[1];
    if (filename !== undefined) {
      files.set(name, { filename, content: Buffer.from(content) });
      continue;
    }
    const text = content.toString('utf8');
    try {
      fields[name] = text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text;
    } catch {
      fields[name] = text;
    }
  }
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string' && value.startsWith('attach://')) fields[key] = files.get(value.slice('attach://'.length)) ?? value;
  }
  return fields;
}

/** The most of `times` (ms, any order) inside any window of `windowMs`: how close sends came to a limit. */
export function densestWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((x, y) => x - y);
  let best = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    best = Math.max(best, last - first + 1);
  }
  return best;
}
