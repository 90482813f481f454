import path from 'node:path';
import { Writable } from 'node:stream';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { pino } from 'pino';
import type { BotContext } from '../../src/bot/context.js';
import { createBot, type CreateBotDeps } from '../../src/bot/create-bot.js';
import { createI18n, type Locale } from '../../src/bot/create-i18n.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir, type LogLine } from './bot-process.js';
import { FakeTelegram, type FakeChat, type FakeUser } from './fake-telegram.js';

/** A member as getChatMember or my_chat_member describe one (status and any rights). */
export type MemberState = { status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked' } & Record<string, unknown>;

/**
 * nashra's bot built in this process with createBot, against the stand-in Bot API and a real SQLite
 * file in a temp dir. Updates are handed to `bot.handleUpdate` one at a time and awaited, so a test
 * knows the handler has finished (no polling loop, no sleeps), and a failure names the feature.
 */
export class InProcessBot {
  private nextUpdateId = 1;
  private nextMessageId = 1;

  private constructor(
    readonly telegram: FakeTelegram,
    readonly store: Store,
    readonly bot: Bot<BotContext>,
    /** Every log line the bot wrote, parsed. */
    readonly logs: LogLine[],
    /** A replica's: the store and the stand-in API are another bot's, which closes them. */
    private readonly owner: InProcessBot | null = null,
  ) {}

  /**
   * Starts the stand-in API, opens a store and builds the bot. `deps` overrides createBot's
   * dependencies (bot admins, addSource…); the default addSource refuses, as no source is reachable.
   */
  static async start(options: { defaultLocale?: Locale; deps?: Partial<CreateBotDeps> } = {}): Promise<InProcessBot> {
    const telegram = await new FakeTelegram('123456:IN-PROCESS-token').start();
    const store = createSqliteStore(path.join(makeTempDir(), 'nashra.sqlite'));
    const { bot, logs } = await InProcessBot.build(telegram, store, options);
    return new InProcessBot(telegram, store, bot, logs);
  }

  /**
   * A second bot, built anew by createBot (nothing of this one's memory), on this bot's store and
   * stand-in API: another replica behind the same webhook. Its update and message ids start far from
   * this one's. Closing it closes neither the store nor the API (this bot's close does).
   */
  async startReplica(options: { defaultLocale?: Locale; deps?: Partial<CreateBotDeps> } = {}): Promise<InProcessBot> {
    const { bot, logs } = await InProcessBot.build(this.telegram, this.store, options);
    const replica = new InProcessBot(this.telegram, this.store, bot, logs, this);
    replica.nextUpdateId = this.nextUpdateId + 1_000_000;
    replica.nextMessageId = this.nextMessageId + 1_000_000;
    return replica;
  }

  private static async build(
    telegram: FakeTelegram,
    store: Store,
    options: { defaultLocale?: Locale; deps?: Partial<CreateBotDeps> },
  ): Promise<{ bot: Bot<BotContext>; logs: LogLine[] }> {
    const logs: LogLine[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    const bot = createBot({
      token: telegram.token,
      apiRoot: telegram.apiRoot,
      logger: pino({ level: 'debug', base: undefined }, sink),
      store,
      i18n: createI18n(options.defaultLocale ?? 'en'),
      botAdmins: new Set(),
      addSource: async () => {
        throw new Error('addSource is not wired in this in-process bot');
      },
      ...options.deps,
    });
    await bot.init();
    return { bot, logs };
  }

  async close(): Promise<void> {
    if (this.owner) return;
    await this.store.close();
    await this.telegram.close();
  }

  /** Hands one update (as Telegram's JSON, without update_id) to the bot and waits until its handlers are done. */
  async handle(update: Record<string, unknown>): Promise<void> {
    await this.bot.handleUpdate({ update_id: this.nextUpdateId++, ...update } as unknown as Update);
  }

  /** Log lines whose message is `msg`. */
  logged(msg: string): LogLine[] {
    return this.logs.filter((line) => line.msg === msg);
  }

  /**
   * A text message (a channel post in a channel) as Telegram delivers it; a leading command gets
   * its bot_command entity. `extra` adds fields (sender_chat, message_thread_id, is_topic_message…).
   */
  async sendText(from: FakeUser | null, chat: FakeChat, text: string, extra: Record<string, unknown> = {}): Promise<void> {
    const message: Record<string, unknown> = { message_id: this.nextMessageId++, date: now(), chat, text, ...extra };
    if (from) message.from = { is_bot: false, ...from };
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    if (command) message.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
    await this.handle((chat.type === 'channel' ? { channel_post: message } : { message }));
  }

  /** A service message in a chat (e.g. `{ migrate_to_chat_id }`), from `from` when given. */
  async sendService(chat: FakeChat, fields: Record<string, unknown>, from: FakeUser | null = null): Promise<void> {
    const message: Record<string, unknown> = { message_id: this.nextMessageId++, date: now(), chat, ...fields };
    if (from) message.from = { is_bot: false, ...from };
    await this.handle({ message });
  }

  /**
   * `by` changed the bot's membership in `chat` from `before` to `after` (my_chat_member). The stand-in
   * API is told too, so a later getChatMember for the bot answers `after`.
   */
  async changeBotMembership(by: FakeUser, chat: FakeChat, before: MemberState, after: MemberState): Promise<void> {
    const { status, ...rights } = after;
    this.telegram.setMember(chat.id, this.telegram.botUser.id, status as Parameters<FakeTelegram['setMember']>[2], rights);
    const member = (state: MemberState) => ({ user: this.telegram.botUser, ...state });
    await this.handle({
      my_chat_member: {
        chat,
        from: { is_bot: false, ...by },
        date: now(),
        old_chat_member: member(before),
        new_chat_member: member(after),
      },
    });
  }

  /**
   * `from` sends a file (a `document` message) in `chat`; getFile and the file's download URL on the
   * stand-in serve it, unless `missing` (then getFile answers 400, as for a file Telegram lost).
   */
  async sendDocument(
    from: FakeUser | null,
    chat: FakeChat,
    document: { fileName: string; content: Buffer | string; mimeType?: string; fileSize?: number; missing?: boolean },
  ): Promise<void> {
    const messageId = this.nextMessageId++;
    const fileId = `file-${messageId}-${document.fileName}`;
    if (!document.missing) this.telegram.addFile(fileId, document.content, `documents/file_${messageId}.${document.fileName.split('.').pop()}`);
    const message: Record<string, unknown> = {
      message_id: messageId,
      date: now(),
      chat,
      document: {
        file_id: fileId,
        file_unique_id: `u-${fileId}`,
        file_name: document.fileName,
        mime_type: document.mimeType ?? 'application/octet-stream',
        file_size: document.fileSize ?? Buffer.byteLength(document.content),
      },
    };
    if (from) message.from = { is_bot: false, ...from };
    await this.handle({ message });
  }

  /** `from` types `@bot query` in some chat (inline_query); `offset` is the one the bot gave for the next page. */
  async sendInlineQuery(from: FakeUser, query: string, offset = ''): Promise<void> {
    await this.handle({
      inline_query: { id: `iq-${this.nextUpdateId}`, from: { is_bot: false, ...from }, query, offset, chat_type: 'sender' },
    });
  }

  /** `from` presses an inline button with `data` under the bot's message `messageId` in `chat`. */
  async pressButton(from: FakeUser, chat: FakeChat, messageId: number, data: string): Promise<void> {
    const message = { message_id: messageId, date: now(), chat, text: this.telegram.messageText(chat.id, messageId) ?? '' };
    await this.handle({
      callback_query: { id: `cq-${this.nextUpdateId}`, from: { is_bot: false, ...from }, chat_instance: `ci-${chat.id}`, message, data },
    });
  }
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
