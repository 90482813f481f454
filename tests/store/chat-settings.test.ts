import { describe, expect, it } from 'vitest';
import { readChatSettings } from '../../src/store/chat-settings.js';
import { defaultChatSettings } from '../../src/store/store.js';

// A chat's settings as every store keeps them are in contract/chats.ts.

describe('chat settings', () => {
  it('reads stored settings from an older or damaged row field by field', () => {
    expect(readChatSettings('not json')).toEqual(defaultChatSettings);
    expect(readChatSettings('{"digest":"hourly","style":"video","silent":1}')).toEqual({ ...defaultChatSettings, digest: 'hourly' });
  });
});
