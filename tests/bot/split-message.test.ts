import { performance } from 'node:perf_hooks';

import { describe, expect, it } from 'vitest';

import type { BotContext } from '../../src/bot/context.js';
import { replyHtml, splitMessage } from '../../src/bot/reply.js';

const NOTE = '<i>… cut</i>';

/** Whether every `<` opens a whole tag and every `&` a whole entity, and `<b>`/`<a>` are balanced. */
function isWholeHtml(part: string): boolean {
  const withoutTags = part.replace(/<\/?[a-z]+(?: [^<>]*)?>/g, '');
  const withoutEntities = withoutTags.replace(/&(?:amp|lt|gt|quot);/g, '');
  if (/[<>&]/.test(withoutEntities)) return false;
  for (const element of ['b', 'a']) {
    const opened = part.split(new RegExp(`<${element}[ >]`)).length;
    if (opened !== part.split(`</${element}>`).length) return false;
  }
  return true;
}

/** The characters a reader sees, tags and spaces left out (a cut inside a word adds no space). */
function visibleCharacters(html: string): string {
  return html.replace(/<[^<>]*>/g, '').replace(/\s+/g, '');
}

describe('splitting a long answer', () => {
  it('leaves a short answer whole', () => {
    expect(splitMessage('<b>1</b>. one\n<b>2</b>. two')).toEqual(['<b>1</b>. one\n<b>2</b>. two']);
  });

  it('splits between lines, never inside a line, and loses no line', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `<b>${i + 1}</b>. مصدر رقم ${i + 1} — <a href="https://example.com/${i}">رابط</a>`);
    const parts = splitMessage(lines.join('\n'), { limit: 1000, maxParts: 100 });
    expect(parts.length).toBeGreaterThan(4);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1000);
      expect(part.split('<b>').length).toBe(part.split('</b>').length);
    }
    expect(parts.join('\n').split('\n')).toEqual(lines);
  });

  it('cuts a single over-long line at a space', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const parts = splitMessage(words.join(' '), { limit: 500, maxParts: 100 });
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(500);
    expect(parts.join(' ').split(' ')).toEqual(words);
  });

  it('sends at most four parts and ends the last with the note when the text is longer', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `<b>${i + 1}</b>. <a href="https://example.com/${i}">خبر رقم ${i + 1}</a>`);
    const parts = splitMessage(lines.join('\n'), { limit: 1000, truncatedNote: NOTE });
    expect(parts).toHaveLength(4);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1000);
    const last = parts[3]!;
    expect(last.endsWith(`\n${NOTE}`)).toBe(true);
    // What is kept is the beginning of the list, whole lines in order.
    const kept = [...parts.slice(0, 3), last.slice(0, -NOTE.length - 1)].join('\n').split('\n');
    expect(kept).toEqual(lines.slice(0, kept.length));
    expect(kept.length).toBeGreaterThan(30);
  });

  it('adds no note when four parts hold everything', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `سطر رقم ${i + 1} `.repeat(4));
    const parts = splitMessage(lines.join('\n'), { limit: 500, truncatedNote: NOTE });
    expect(parts.length).toBeLessThanOrEqual(4);
    expect(parts.join('\n')).not.toContain(NOTE);
    expect(parts.join('\n').split('\n')).toEqual(lines);
  });

  it('never cuts inside an entity, even in a line with no space', () => {
    const line = 'AT&amp;T'.repeat(300);
    const parts = splitMessage(line, { limit: 101, maxParts: 100 });
    expect(parts.length).toBeGreaterThan(4);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(101);
      expect(isWholeHtml(part)).toBe(true);
    }
    expect(parts.join('')).toBe(line);
  });

  it('never cuts inside a tag, and closes and reopens the elements open at a cut', () => {
    const link = '<a href="https://example.com/news?id=1&amp;page=2">';
    const line = `<b>${link}${'خسائر'.repeat(200)} ${'فادحة '.repeat(100)}</a></b> &lt;end&gt;`;
    const parts = splitMessage(line, { limit: 300, maxParts: 100 });
    expect(parts.length).toBeGreaterThan(4);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(300);
      expect(isWholeHtml(part)).toBe(true);
    }
    expect(parts[1]!.startsWith(`<b>${link}`)).toBe(true);
    expect(visibleCharacters(parts.join(''))).toBe(visibleCharacters(line));
  });

  it('cuts a megabyte on one line into four parts quickly', () => {
    const title = '<b>' + 'عنوان&amp;طويل'.repeat(80_000) + '</b>';
    const started = performance.now();
    const parts = splitMessage(title, { truncatedNote: NOTE });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(parts).toHaveLength(4);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4000);
      expect(isWholeHtml(part)).toBe(true);
    }
    expect(parts[3]!.endsWith(NOTE)).toBe(true);
  });
});

describe('replyHtml', () => {
  it('sends at most four messages, the last ending with the localized note', async () => {
    const sent: Array<{ text: string; options: unknown }> = [];
    const ctx = {
      t: (id: string) => (id === 'reply-truncated' ? NOTE : id),
      reply: async (text: string, options: unknown) => {
        sent.push({ text, options });
      },
    } as unknown as BotContext;
    const lines = Array.from({ length: 2000 }, (_, i) => `<b>${i + 1}</b>. <a href="https://example.com/${i}">خبر</a>`);
    await replyHtml(ctx, lines.join('\n'));
    expect(sent).toHaveLength(4);
    expect(sent[3]!.text.endsWith(NOTE)).toBe(true);
    for (const message of sent) {
      expect(message.text.length).toBeLessThanOrEqual(4000);
      expect(message.options).toEqual({ parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    }
  });

  it('sends a short answer as one message without the note', async () => {
    const sent: string[] = [];
    const ctx = {
      t: () => NOTE,
      reply: async (text: string) => {
        sent.push(text);
      },
    } as unknown as BotContext;
    await replyHtml(ctx, 'جواب قصير');
    expect(sent).toEqual(['جواب قصير']);
  });
});
