import { describe, expect, it } from 'vitest';
import { parseLinkHeader, parseMaxAge, parseRetryAfter } from '../../src/sources/http-hints.js';

const now = Date.parse('2025-03-04T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120],
    [' 0 ', 0],
    ['Tue, 04 Mar 2025 12:05:00 GMT', 300],
    ['Tue, 04 Mar 2025 11:00:00 GMT', 0],
    ['999999999', 86_400],
    ['Wed, 04 Mar 2026 12:00:00 GMT', 86_400],
    ['soon', null],
    ['-5', null],
    ['', null],
    [null, null],
  ])('reads %j as %j seconds', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('parseMaxAge', () => {
  it.each([
    ['max-age=300', 300],
    ['public, MAX-AGE="60", must-revalidate', 60],
    ['s-maxage=10, max-age=20', 20],
    ['max-age=31536000', 86_400],
    ['no-cache', null],
    ['max-age=soon', null],
    [null, null],
  ])('reads %j as %j seconds', (value, expected) => {
    expect(parseMaxAge(value)).toBe(expected);
  });
});

describe('parseLinkHeader', () => {
  it('reads each link with its relation types', () => {
    expect(
      parseLinkHeader('<https://wp.example/wp-json/>; rel="https://api.w.org/", </feed/>; rel=alternate; type="application/rss+xml"'),
    ).toEqual([
      { href: 'https://wp.example/wp-json/', rels: ['https://api.w.org/'] },
      { href: '/feed/', rels: ['alternate'] },
    ]);
  });

  it('reads several relation types and links without any', () => {
    expect(parseLinkHeader('<a>; rel="Next Alternate", <b>')).toEqual([
      { href: 'a', rels: ['next', 'alternate'] },
      { href: 'b', rels: [] },
    ]);
  });

  it('finds nothing in an empty, absent or absurdly long header', () => {
    expect(parseLinkHeader('')).toEqual([]);
    expect(parseLinkHeader(null)).toEqual([]);
    expect(parseLinkHeader(`<x>; rel=a, ${'<y>'.repeat(10_000)}`)).toEqual([]);
  });
});
