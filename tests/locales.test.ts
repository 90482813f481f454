import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../src/bot/create-i18n.js';
import { adminCommands, chatAdminCommands, groupCommands, privateCommands } from '../src/bot/register-commands.js';
import type { SourceErrorCode } from '../src/sources/types.js';
import { repoRoot } from './helpers/bot-process.js';

/**
 * The messages of a locale file: id → the variables it shows (`{ $name }`) and those it only selects
 * on (`{ $count -> … }`: Arabic needs plural forms where English may not, so these may differ).
 */
function readMessages(locale: string): Map<string, { shown: string[]; selectors: string[] }> {
  const text = fs.readFileSync(path.join(repoRoot, 'locales', `${locale}.ftl`), 'utf8');
  const found = new Map<string, { shown: Set<string>; selectors: Set<string> }>();
  let current: { shown: Set<string>; selectors: Set<string> } | null = null;
  for (const line of text.split('\n')) {
    const start = /^([a-z][a-z0-9_-]*)\s*=/.exec(line);
    if (start) {
      if (found.has(start[1]!)) throw new Error(`${locale}.ftl defines ${start[1]} twice`);
      current = { shown: new Set(), selectors: new Set() };
      found.set(start[1]!, current);
    } else if (line.trim() !== '' && !/^\s/.test(line)) current = null; // a comment ends the message; blank lines do not
    if (!current) continue;
    for (const match of line.matchAll(/\{\s*\$([a-zA-Z_][a-zA-Z0-9_-]*)\s*(->)?/g)) {
      (match[2] ? current.selectors : current.shown).add(match[1]!);
    }
  }
  const sorted = (names: Set<string>) => [...names].sort();
  return new Map([...found].map(([id, names]) => [id, { shown: sorted(names.shown), selectors: sorted(names.selectors) }]));
}

function messageIds(locale: string): string[] {
  return [...readMessages(locale).keys()].sort();
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Every reason a source can be refused; a Record over the union, so the type-checker keeps it complete. */
const sourceErrorCodes: Record<SourceErrorCode | 'unknown', true> = {
  invalid_url: true,
  blocked_address: true,
  dns_failed: true,
  timeout: true,
  network: true,
  http_status: true,
  too_large: true,
  too_many_redirects: true,
  not_a_feed: true,
  gone: true,
  hostile_document: true,
  credentials_in_url: true,
  unknown: true,
};

/** Ids made from a template (`` `source-error-${code}` ``): every value the code can fill in. */
const templateFamilies: Record<string, string[]> = {
  'source-error-': Object.keys(sourceErrorCodes),
  'cmd-': [...new Set([...privateCommands, ...groupCommands, ...chatAdminCommands, ...adminCommands])],
};

/**
 * Calls whose id is a variable, and where its values come from: the literals a regex finds in the
 * same file. A new call of this kind fails the test until it is listed here, so no id goes unchecked.
 */
const variableIds: Record<string, { from: RegExp } | 'pass-through'> = {
  // sourceArg(ctx, arg, 'resumesource-usage') → ctx.t(usage)
  'src/bot/features/sources.ts usage': { from: /sourceArg\([^;]*?'([a-z][a-z0-9-]*)'\)/g },
  // const key = { hostile_document: 'opml-hostile', … } → ctx.t(key[reading.refused])
  'src/bot/features/opml.ts key[reading.refused]': { from: /[a-z_]+: '(opml-[a-z0-9-]+)'/g },
  // reason: 'manage-chat-gone' | 'manage-not-admin' → ctx.t(found.reason)
  'src/bot/features/manage.ts found.reason': { from: /'(manage-[a-z0-9-]+)'/g },
  // translateNotice(id, params) hands on the ids of the translate('…') calls, which are read themselves.
  'src/app.ts id': 'pass-through',
};

/** The text of a call's arguments, from just after its `(` to the matching `)`. */
function argumentsAt(code: string, open: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let index = open; index < code.length; index++) {
    const char = code[index]!;
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = null;
    } else if (char === "'" || char === '"' || char === '`') quote = char;
    else if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') {
      depth--;
      if (depth === 0) return code.slice(open + 1, index);
    }
  }
  return code.slice(open + 1);
}

/** Splits `text` at `separator` where it is outside brackets, strings and templates. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let from = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = null;
    } else if (char === "'" || char === '"' || char === '`') quote = char;
    else if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') depth--;
    else if (depth === 0 && char === separator) {
      parts.push(text.slice(from, index));
      from = index + 1;
    }
  }
  parts.push(text.slice(from));
  return parts.map((part) => part.trim());
}

/** The expressions an id argument can evaluate to: both branches of a conditional, not its condition. */
function outcomes(expression: string): string[] {
  const [condition, ...rest] = splitTopLevel(expression, '?');
  if (rest.length === 0) return [condition!];
  const branches = splitTopLevel(rest.join('?'), ':');
  return [branches[0]!, ...outcomes(branches.slice(1).join(':'))];
}

/** What one translation call asks for. */
interface Use {
  where: string;
  ids: string[];
  /** The id argument when it is a variable: resolved through {@link variableIds}. */
  variable?: string;
}

/** Every translation call in src/ (`t(…)`, `ctx.t(…)`, `i18n.t(locale, …)`, `translate(…)`) and the ids it may ask for. */
function translationUses(): Use[] {
  const uses: Use[] = [];
  for (const file of sourceFiles(path.join(repoRoot, 'src'))) {
    const code = fs.readFileSync(file, 'utf8');
    const relative = path.relative(repoRoot, file).split(path.sep).join('/');
    for (const call of code.matchAll(/\b(?:t|translate)\(/g)) {
      const open = call.index + call[0].length - 1;
      const where = `${relative}:${code.slice(0, open).split('\n').length}`;
      const args = splitTopLevel(argumentsAt(code, open), ',');
      // i18n.t(locale, id, …) takes the locale first; ctx.t(id, …) and translate(id, …) the id.
      const idArg = (code.slice(Math.max(0, call.index - 5), call.index) === 'i18n.' ? args[1] : args[0]) ?? '';
      const ids: string[] = [];
      let variable: string | undefined;
      for (const outcome of outcomes(idArg)) {
        const literal = /^'([a-z][a-z0-9_-]*)'$/.exec(outcome);
        const template = /^`([a-z][a-z0-9-]*-)\$\{[^`]*\}`$/.exec(outcome);
        if (literal) ids.push(literal[1]!);
        else if (template) {
          const family = templateFamilies[template[1]!];
          if (!family) throw new Error(`${where}: a template id ${outcome} this test cannot expand; add it to templateFamilies`);
          ids.push(...family.map((value) => `${template[1]}${value}`));
        } else variable = `${relative} ${outcome}`;
      }
      uses.push({ where, ids, variable });
    }
  }
  return uses;
}

describe('the locales', () => {
  const ar = readMessages('ar');
  const en = readMessages('en');

  it('have the same messages in Arabic and English, each with the same variables', () => {
    expect([...ar.keys()].sort()).toEqual([...en.keys()].sort());
    expect(en.size).toBeGreaterThan(40);
    const differing = [...en].filter(([id, { shown }]) => JSON.stringify(ar.get(id)?.shown) !== JSON.stringify(shown));
    expect(differing.map(([id, { shown }]) => `${id}: en {${shown.join(', ')}} ar {${(ar.get(id)?.shown ?? []).join(', ')}}`)).toEqual([]);
  });

  it('render every message in both languages once its variables are given', () => {
    const i18n = createI18n('en');
    for (const [locale, messages] of [['ar', ar], ['en', en]] as const) {
      for (const [id, { shown, selectors }] of messages) {
        const text = i18n.t(locale, id, Object.fromEntries([...shown, ...selectors].map((name) => [name, 1])));
        expect(text, `${locale} ${id}`).not.toBe(id);
        expect(text, `${locale} ${id}`).not.toMatch(/\{\s*\$|\{\?\?\?\}/);
      }
    }
  });

  it('define, in both languages, every message the code asks for', () => {
    const uses = translationUses();
    const unknownVariables = uses.filter((use) => use.variable && !(use.variable in variableIds));
    expect(unknownVariables.map((use) => `${use.where}: t(${use.variable})`), 'ids this test cannot read').toEqual([]);

    const asked = new Map<string, string>();
    for (const use of uses) for (const id of use.ids) asked.set(id, use.where);
    for (const [key, resolver] of Object.entries(variableIds)) {
      if (resolver === 'pass-through') continue;
      const file = key.split(' ')[0]!;
      if (!fs.existsSync(path.join(repoRoot, file))) continue;
      const found = [...fs.readFileSync(path.join(repoRoot, file), 'utf8').matchAll(resolver.from)].map((match) => match[1]!);
      expect(found.length, `ids behind ${key}`).toBeGreaterThan(0);
      for (const id of found) asked.set(id, key);
    }
    const missing = [...asked].flatMap(([id, where]) =>
      (['ar', 'en'] as const).filter((locale) => !(locale === 'ar' ? ar : en).has(id)).map((locale) => `${locale}: ${id} (asked at ${where})`),
    );
    expect(missing).toEqual([]);
    // The reading above finds the calls it should: a literal, a conditional, a template, a variable.
    expect(asked.get('search-page-not-yours')).toMatch(/^src\/bot\/features\/search\.ts:\d+$/);
    expect(asked.get('fulltext-off')).toMatch(/^src\/bot\/features\/sources\.ts:\d+$/);
    expect(asked.has('source-error-credentials_in_url')).toBe(true);
    expect(asked.has('cmd-status')).toBe(true);
    expect(asked.has('notice-chat-paused')).toBe(true);
    expect(asked.get('opml-hostile')).toBe('src/bot/features/opml.ts key[reading.refused]');
    expect(asked.size).toBeGreaterThan(100);
  });

  it('explain every reason a source can be refused, in both languages', () => {
    const ids = Object.keys(sourceErrorCodes).map((code) => `source-error-${code}`);
    for (const locale of ['ar', 'en']) {
      const defined = new Set(messageIds(locale));
      expect(ids.filter((id) => !defined.has(id)), locale).toEqual([]);
    }
    const i18n = createI18n('en');
    for (const id of ids) {
      expect(i18n.t('ar', id, { status: '503' }), id).toMatch(/[\u0621-\u064a]/);
      expect(i18n.t('en', id, { status: '503' }), id).toMatch(/^[\x20-\x7e]+$/);
    }
    for (const locale of ['ar', 'en']) expect(i18n.t(locale, 'source-error-http_status', { status: '503' })).toContain('503');
  });

  it('render with variables in both languages, with no bidi isolation marks inside HTML or commands', () => {
    const i18n = createI18n('ar');
    for (const locale of ['ar', 'en']) {
      const text = i18n.t(locale, 'addsource-added', { title: 'T', id: '3', items: '12', count: 12 });
      expect(text).toContain('12');
      expect(text).toContain('3');
      expect(text).not.toMatch(/[\u2066-\u2069]/);
      expect(i18n.t(locale, 'help', { bot: 'nashra_bot' })).toContain('/subscribe');
      expect(i18n.t(locale, 'help', { bot: 'nashra_bot' })).toContain('@nashra_bot');
    }
    expect(i18n.t('en', 'addsource-added', { title: 'T', id: '3', items: '1', count: 1 })).toContain('1 article.');
    expect(i18n.t('ar', 'addsource-added', { title: 'T', id: '3', items: '2', count: 2 })).toContain('مقالان');
  });
});
