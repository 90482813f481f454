import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createI18n } from '../../src/bot/create-i18n.js';
import { adminCommands, registerCommands } from '../../src/bot/register-commands.js';
import { FakeTelegram, type RecordedCall } from '../helpers/fake-telegram.js';

const token = '5151:menus-token';

/** The commands of the menu set for one scope type (and chat) in one language ('default': none given). */
function menu(calls: RecordedCall[], scope: string, language = 'default', chatId?: number): string[] | undefined {
  const call = calls.find(
    (candidate) =>
      (candidate.params.scope?.type ?? 'default') === scope &&
      (candidate.params.language_code ?? 'default') === language &&
      (chatId === undefined || Number(candidate.params.scope?.chat_id) === chatId),
  );
  return call?.params.commands.map((command: { command: string }) => command.command);
}

describe('the command menus, per scope and language', () => {
  let telegram: FakeTelegram;
  let api: Api;
  const i18n = createI18n('ar');

  beforeEach(async () => {
    telegram = await new FakeTelegram(token).start();
    api = new Api(token, { apiRoot: telegram.apiRoot });
  });
  afterEach(async () => telegram.close());

  it('sets every scope in the default language, Arabic and English', async () => {
    await registerCommands(api, i18n, 'ar', new Set([11]));
    const calls = telegram.callsOf('setMyCommands');
    for (const scope of ['default', 'all_private_chats', 'all_group_chats', 'all_chat_administrators', 'chat']) {
      for (const language of ['default', 'ar', 'en']) expect(menu(calls, scope, language), `${scope} ${language}`).toBeDefined();
    }
    expect(calls).toHaveLength(5 * 3);
  });

  it('gives private chats every user command, groups the reading and subscription ones, and group admins the subscribe family first', async () => {
    await registerCommands(api, i18n, 'ar', new Set());
    const calls = telegram.callsOf('setMyCommands');
    expect(menu(calls, 'all_private_chats', 'en')).toEqual([
      'start',
      'help',
      'search',
      'latest',
      'sources',
      'subscriptions',
      'subscribe',
      'unsubscribe',
      'manage',
      'lang',
    ]);
    expect(menu(calls, 'all_group_chats', 'en')).toEqual(['search', 'latest', 'sources', 'subscribe', 'unsubscribe', 'subscriptions', 'lang', 'help']);
    // Telegram shows group admins their scope instead of the group's: it must not lose the group's commands.
    const forAdmins = menu(calls, 'all_chat_administrators', 'en')!;
    expect(forAdmins.slice(0, 3)).toEqual(['subscribe', 'unsubscribe', 'subscriptions']);
    expect(forAdmins).toEqual(expect.arrayContaining(menu(calls, 'all_group_chats', 'en')!));
    expect(calls.some((call) => call.params.scope?.type === 'chat')).toBe(false);
  });

  it('offers /manage in private chats only and /lang everywhere, described in each language', async () => {
    await registerCommands(api, i18n, 'ar', new Set([11]));
    const calls = telegram.callsOf('setMyCommands');
    for (const language of ['default', 'ar', 'en']) {
      expect(menu(calls, 'all_private_chats', language)).toEqual(expect.arrayContaining(['manage', 'lang']));
      expect(menu(calls, 'chat', language, 11)).toEqual(expect.arrayContaining(['manage', 'lang']));
      for (const scope of ['all_group_chats', 'all_chat_administrators']) {
        expect(menu(calls, scope, language)).toContain('lang');
        expect(menu(calls, scope, language)).not.toContain('manage');
      }
    }
    const described = (language: string, command: string) =>
      (calls.find((call) => call.params.language_code === language && call.params.scope?.type === 'all_private_chats')!.params.commands as Array<{
        command: string;
        description: string;
      }>).find((c) => c.command === command)!.description;
    expect(described('en', 'manage')).toBe(i18n.t('en', 'cmd-manage'));
    expect(described('ar', 'manage')).toMatch(/[\u0600-\u06ff]/);
    expect(described('ar', 'lang')).toMatch(/[\u0600-\u06ff]/);
    expect(described('en', 'lang')).toContain('/lang');
  });

  it('shows the admin commands, /status among them, only in each bot admin’s private chat', async () => {
    await registerCommands(api, i18n, 'ar', new Set([11, 12]));
    const calls = telegram.callsOf('setMyCommands');
    for (const adminId of [11, 12]) {
      expect(menu(calls, 'chat', 'en', adminId)).toEqual(expect.arrayContaining(['status', 'export', 'addsource', 'search', 'subscribe']));
    }
    const elsewhere = calls.filter((call) => call.params.scope?.type !== 'chat');
    for (const call of elsewhere) {
      const commands = call.params.commands.map((command: { command: string }) => command.command);
      for (const command of adminCommands) expect(commands).not.toContain(command);
    }
  });

  it('describes each command in the menu’s language', async () => {
    await registerCommands(api, i18n, 'en', new Set([11]));
    const calls = telegram.callsOf('setMyCommands');
    const described = (language: string, scope: string) =>
      calls.find((call) => (call.params.language_code ?? 'default') === language && (call.params.scope?.type ?? 'default') === scope)!
        .params.commands as Array<{ command: string; description: string }>;
    expect(described('ar', 'all_group_chats').find((c) => c.command === 'search')!.description).toBe(i18n.t('ar', 'cmd-search'));
    expect(described('ar', 'all_group_chats').find((c) => c.command === 'search')!.description).toMatch(/[\u0600-\u06ff]/);
    expect(described('default', 'chat').find((c) => c.command === 'status')!.description).toBe(i18n.t('en', 'cmd-status'));
  });

  it('still sets the other admins’ menus when one admin never started the bot', async () => {
    // The 4 shared menus take 12 calls; the 13th is the first admin's default-language menu.
    for (let i = 0; i < 12; i++) telegram.answerNext('setMyCommands', () => undefined);
    telegram.answerNext('setMyCommands', () => ({ ok: false, error_code: 400, description: 'Bad Request: chat not found' }));
    const failed: number[] = [];
    await registerCommands(api, i18n, 'ar', new Set([11, 12]), (adminId) => failed.push(adminId));
    expect(failed).toEqual([11]);
    expect(menu(telegram.callsOf('setMyCommands'), 'chat', 'en', 12)).toContain('status');
  });

  it('fails loudly when a shared menu is refused, so the app can log it', async () => {
    telegram.answerNext('setMyCommands', () => ({ ok: false, error_code: 400, description: 'Bad Request: BOT_COMMAND_INVALID' }));
    await expect(registerCommands(api, i18n, 'ar', new Set([11]))).rejects.toThrow(/BOT_COMMAND_INVALID/);
  });
});
