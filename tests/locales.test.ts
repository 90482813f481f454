import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../src/bot/create-i18n.js';
import type { SourceErrorCode } from '../src/sources/types.js';
import { repoRoot } from './helpers/bot-process.js';

function messageIds(locale: string): string[] {
  const text = fs.readFileSync(path.join(repoRoot, 'locales', `${locale}.ftl`), 'utf8');
  return [...text.matchAll(/^([a-z][a-z0-9_-]*)\s*=/gm)].map((match) => match[1]!).sort();
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('the locales', () => {
  it('have the same messages in Arabic and English', () => {
    expect(messageIds('ar')).toEqual(messageIds('en'));
    expect(messageIds('en').length).toBeGreaterThan(40);
  });

  it('define every message the code asks for', () => {
    const defined = new Set(messageIds('en'));
    const used = new Set<string>();
    for (const file of sourceFiles(path.join(repoRoot, 'src'))) {
      const code = fs.readFileSync(file, 'utf8');
      for (const match of code.matchAll(/\bt\(\s*'([a-z][a-z0-9-]*)'/g)) used.add(match[1]!);
      for (const match of code.matchAll(/\bt\(\s*`([a-z-]+)-\$\{/g)) used.add(`${match[1]}-*`);
    }
    const missing = [...used].filter((id) => (id.endsWith('-*') ? ![...defined].some((d) => d.startsWith(id.slice(0, -1))) : !defined.has(id)));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(20);
  });

  it('explain every reason a source can be refused, in both languages', () => {
    // A Record over the union: the type-checker fails this file when a code is added to SourceErrorCode
    // and not here, so the list below is always every code.
    const codes: Record<SourceErrorCode | 'unknown', true> = {
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
    const ids = Object.keys(codes).map((code) => `source-error-${code}`);
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
