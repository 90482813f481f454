import { z } from 'zod';
import { defaultChatSettings, type ChatSettings, type ChatSettingsPatch } from './store.js';

/** Limits on what a chat may keep: a filter list is for a few words, not a dictionary. */
export const chatSettingsLimits = Object.freeze({ words: 50, wordLength: 100, burstLimit: 1000 });

const words = z.array(z.string().max(chatSettingsLimits.wordLength)).max(chatSettingsLimits.words);

/** Each field is read on its own: a value the code no longer understands falls back to its default. */
const fields = {
  includeWords: words,
  excludeWords: words,
  digest: z.enum(['off', 'hourly', 'daily']),
  style: z.enum(['headline', 'summary', 'photo']),
  language: z.enum(['ar', 'en']).nullable(),
  linkPreview: z.boolean(),
  silent: z.boolean(),
  burstLimit: z.number().int().min(1).max(chatSettingsLimits.burstLimit),
} satisfies { [K in keyof ChatSettings]: z.ZodType<ChatSettings[K]> };

/**
 * A chat's settings as stored (a JSON object, possibly partial, possibly from an older version),
 * completed with the defaults. Never throws.
 */
export function readChatSettings(stored: unknown): ChatSettings {
  let value: unknown = stored;
  if (typeof stored === 'string') {
    try {
      value = JSON.parse(stored);
    } catch {
      value = {};
    }
  }
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const settings: Record<string, unknown> = { ...defaultChatSettings };
  for (const [key, schema] of Object.entries(fields)) {
    const parsed = (schema as z.ZodType).safeParse(record[key]);
    if (parsed.success) settings[key] = parsed.data;
  }
  return settings as unknown as ChatSettings;
}

/**
 * The settings after a change, validated: a value out of bounds is refused with a RangeError naming
 * the setting (callers check user input before; this guards the store).
 */
export function applyChatSettings(current: ChatSettings, patch: ChatSettingsPatch): ChatSettings {
  const next: Record<string, unknown> = { ...current };
  const changes = typeof patch === 'function' ? patch(structuredClone(current)) : patch;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || !(key in fields)) continue;
    const parsed = (fields[key as keyof ChatSettings] as z.ZodType).safeParse(value);
    if (!parsed.success) throw new RangeError(`invalid chat setting ${key}`);
    next[key] = parsed.data;
  }
  return next as unknown as ChatSettings;
}
