import type { ChatLanguage, DigestMode, InputList, PostStyle } from '../store/store.js';

/** Which keyword list of a chat: words a post must contain (one of), or words it must not. */
export type WordList = InputList;

/**
 * What a button of the /manage menu asks for. Only the chat's id and the choice travel in the
 * button: who pressed it is read from the update, their rights from Telegram, every value from the store.
 */
export type ManageAction =
  | { kind: 'list' }
  | { kind: 'close' }
  | { kind: 'home'; chatId: number }
  | { kind: 'sources'; chatId: number; page: number }
  | { kind: 'toggle-all'; chatId: number; page: number }
  | { kind: 'toggle-source'; chatId: number; sourceId: number; page: number }
  | { kind: 'pause'; chatId: number }
  | { kind: 'resume'; chatId: number }
  | { kind: 'filters'; chatId: number }
  | { kind: 'words'; chatId: number; list: WordList }
  | { kind: 'add-word'; chatId: number; list: WordList }
  /** `check` is {@link wordCheck} of the word: the list may have changed since the button was drawn. */
  | { kind: 'remove-word'; chatId: number; list: WordList; index: number; check: string }
  | { kind: 'digest'; chatId: number }
  | { kind: 'set-digest'; chatId: number; value: DigestMode }
  | { kind: 'style'; chatId: number }
  | { kind: 'set-style'; chatId: number; value: PostStyle }
  | { kind: 'language'; chatId: number }
  | { kind: 'set-language'; chatId: number; value: ChatLanguage | null }
  | { kind: 'toggle-preview'; chatId: number }
  | { kind: 'toggle-silent'; chatId: number };

/** Telegram's limit on callback_data, in bytes. */
export const maxCallbackDataBytes = 64;

const listCodes = { include: 'i', exclude: 'x' } as const satisfies Record<WordList, string>;
const digestCodes = { off: 'o', hourly: 'h', daily: 'd' } as const satisfies Record<DigestMode, string>;
const styleCodes = { headline: 'h', summary: 's', photo: 'p' } as const satisfies Record<PostStyle, string>;
const languageCodes = { ar: 'ar', en: 'en', auto: 'au' } as const;

function decode<T extends string>(codes: Record<T, string>, code: string | undefined): T | null {
  for (const [value, candidate] of Object.entries(codes) as Array<[T, string]>) if (candidate === code) return value;
  return null;
}

/**
 * A short fingerprint of a filter word (6 characters of FNV-1a): a remove button names the word's
 * position and this, so a press after the list changed removes nothing rather than the wrong word.
 */
export function wordCheck(word: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < word.length; index++) {
    hash ^= word.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(6, '0').slice(-6);
}

/** The callback_data of a /manage button: `m:<chatId>:<code>[:<arg>…]`, at most 64 bytes. */
export function manageData(action: ManageAction): string {
  const data = encode(action);
  // Every part is a number or a short code, so this holds for any chat id Telegram gives; a
  // change that broke it must fail loudly, not make Telegram refuse the whole keyboard.
  if (Buffer.byteLength(data) > maxCallbackDataBytes) throw new RangeError(`callback data too long: ${data}`);
  return data;
}

function encode(action: ManageAction): string {
  switch (action.kind) {
    case 'list':
      return 'm:l';
    case 'close':
      return 'm:x';
    default:
  }
  const chat = `m:${action.chatId}`;
  switch (action.kind) {
    case 'home':
      return `${chat}:h`;
    case 'sources':
      return `${chat}:s:${action.page}`;
    case 'toggle-all':
      return `${chat}:sa:${action.page}`;
    case 'toggle-source':
      return `${chat}:st:${action.sourceId}:${action.page}`;
    case 'pause':
      return `${chat}:p`;
    case 'resume':
      return `${chat}:r`;
    case 'filters':
      return `${chat}:f`;
    case 'words':
      return `${chat}:fl:${listCodes[action.list]}`;
    case 'add-word':
      return `${chat}:fa:${listCodes[action.list]}`;
    case 'remove-word':
      return `${chat}:fr:${listCodes[action.list]}:${action.index}:${action.check}`;
    case 'digest':
      return `${chat}:d`;
    case 'set-digest':
      return `${chat}:ds:${digestCodes[action.value]}`;
    case 'style':
      return `${chat}:y`;
    case 'set-style':
      return `${chat}:ys:${styleCodes[action.value]}`;
    case 'language':
      return `${chat}:g`;
    case 'set-language':
      return `${chat}:gs:${languageCodes[action.value ?? 'auto']}`;
    case 'toggle-preview':
      return `${chat}:pv`;
    case 'toggle-silent':
      return `${chat}:sl`;
  }
}

/** Every /manage button's data starts so; anything else belongs to another feature. */
export const manageDataPattern = /^m:/;

const chatIdPattern = /^-?\d{1,16}$/;
const smallNumber = /^\d{1,12}$/;
const checkPattern = /^[0-9a-z]{6}$/;

/** Reads a /manage button's data back; null for anything this version did not make. */
export function parseManageData(data: string): ManageAction | null {
  if (data.length > maxCallbackDataBytes) return null;
  const parts = data.split(':');
  if (parts[0] !== 'm') return null;
  if (parts.length === 2) return parts[1] === 'l' ? { kind: 'list' } : parts[1] === 'x' ? { kind: 'close' } : null;
  const [, rawChat, code, ...args] = parts;
  if (!rawChat || !chatIdPattern.test(rawChat)) return null;
  const chatId = Number(rawChat);
  const number = (index: number): number | null => {
    const raw = args[index];
    return raw !== undefined && smallNumber.test(raw) ? Number(raw) : null;
  };
  const arity = (count: number) => args.length === count;
  switch (code) {
    case 'h':
      return arity(0) ? { kind: 'home', chatId } : null;
    case 's':
    case 'sa': {
      const page = number(0);
      if (!arity(1) || page === null) return null;
      return { kind: code === 's' ? 'sources' : 'toggle-all', chatId, page };
    }
    case 'st': {
      const sourceId = number(0);
      const page = number(1);
      return arity(2) && sourceId !== null && page !== null ? { kind: 'toggle-source', chatId, sourceId, page } : null;
    }
    case 'p':
      return arity(0) ? { kind: 'pause', chatId } : null;
    case 'r':
      return arity(0) ? { kind: 'resume', chatId } : null;
    case 'f':
      return arity(0) ? { kind: 'filters', chatId } : null;
    case 'fl':
    case 'fa': {
      const list = decode(listCodes, args[0]);
      if (!arity(1) || !list) return null;
      return { kind: code === 'fl' ? 'words' : 'add-word', chatId, list };
    }
    case 'fr': {
      const list = decode(listCodes, args[0]);
      const index = number(1);
      const check = args[2];
      if (!arity(3) || !list || index === null || !check || !checkPattern.test(check)) return null;
      return { kind: 'remove-word', chatId, list, index, check };
    }
    case 'd':
      return arity(0) ? { kind: 'digest', chatId } : null;
    case 'ds': {
      const value = decode(digestCodes, args[0]);
      return arity(1) && value ? { kind: 'set-digest', chatId, value } : null;
    }
    case 'y':
      return arity(0) ? { kind: 'style', chatId } : null;
    case 'ys': {
      const value = decode(styleCodes, args[0]);
      return arity(1) && value ? { kind: 'set-style', chatId, value } : null;
    }
    case 'g':
      return arity(0) ? { kind: 'language', chatId } : null;
    case 'gs': {
      const value = decode(languageCodes, args[0]);
      return arity(1) && value ? { kind: 'set-language', chatId, value: value === 'auto' ? null : value } : null;
    }
    case 'pv':
      return arity(0) ? { kind: 'toggle-preview', chatId } : null;
    case 'sl':
      return arity(0) ? { kind: 'toggle-silent', chatId } : null;
    default:
      return null;
  }
}
