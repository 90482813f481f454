import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createGuardedLookup, isPublicAddress, type ResolveHostname } from '../../src/sources/address-guard.js';
import { SourceError } from '../../src/sources/types.js';

// These tests call the lookup function directly: no socket is ever opened, so even addresses outside
// loopback can be used as fake DNS answers without any packet leaving the machine.

interface LookupResult {
  err: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family?: number;
}

function lookUp(lookup: LookupFunction, hostname: string, options: { all?: boolean; family?: number } = {}) {
  return new Promise<LookupResult>((resolve) => {
    lookup(hostname, options, (err, address, family) => resolve({ err, address, family }));
  });
}

function answering(addresses: string[]): ResolveHostname {
  return async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
}

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['10.0.0.1', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['192.0.2.1', false],
    ['::1', false],
    ['::', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['fe80::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:169.254.169.254', false],
    ['2002:7f00:1::', false],
    ['2001:0:4136:e378::1', false],
    ['64:ff9b::a00:1', false],
    ['2001:db8::1', false],
    ['::127.0.0.1', false],
    ['::10.0.0.1', false],
    ['::8.8.8.8', false],
    ['4000::1', false],
    ['100::1', false],
    ['e000::1', false],
    ['fe80::1%eth0', false],
    ['not an address', false],
    ['', false],
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['::ffff:8.8.8.8', true],
    ['2001:4860:4860::8888', true],
    ['2606:4700:4700::1111', true],
    ['3ffe:1::1', true],
  ])('judges %s public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('createGuardedLookup', () => {
  it('refuses a name that resolves to an IPv4-compatible IPv6 address such as ::127.0.0.1', async () => {
    const lookup = createGuardedLookup({ allowHosts: [], resolve: answering(['::127.0.0.1']) });
    const { err } = await lookUp(lookup, 'compat.test', { all: true });
    expect(err).toBeInstanceOf(SourceError);
    expect((err as unknown as SourceError).code).toBe('blocked_address');
  });

  it('refuses a name that resolves to a private address', async () => {
    const lookup = createGuardedLookup({ allowHosts: [], resolve: answering(['10.0.0.1']) });
    const { err } = await lookUp(lookup, 'evil.test', { all: true });
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('blocked_address');
  });

  it('refuses a name when any one of its addresses is not public', async () => {
    const lookup = createGuardedLookup({ allowHosts: [], resolve: answering(['8.8.8.8', '169.254.169.254']) });
    const { err } = await lookUp(lookup, 'mixed.test', { all: true });
    expect((err as SourceError).code).toBe('blocked_address');
  });

  it('refuses a private address even when the caller asks only for the other family', async () => {
    const lookup = createGuardedLookup({ allowHosts: [], resolve: answering(['8.8.8.8', 'fd00::1']) });
    const { err } = await lookUp(lookup, 'mixed.test', { family: 4 });
    expect((err as SourceError).code).toBe('blocked_address');
  });

  it('hands out every address when asked for all of them', async () => {
    const lookup = createGuardedLookup({ allowHosts: [], resolve: answering(['8.8.8.8', '2001:4860:4860::8888']) });
    const { err, address } = await lookUp(lookup, 'public.test', { all: true });
    expect(err).toBeNull();
    expect(address).toEqual([
      { address: '8.8.8.8', family: 4 },
      { address: '2001:4860:4860::8888', family: 6 },
    ]);
  });

  it('hands out one address and its family when asked for one', async () => {
    const lookup = createGuardedLookup({ allowHosts: [], resolve: answering(['2001:4860:4860::8888', '8.8.8.8']) });
    expect(await lookUp(lookup, 'public.test')).toEqual({ err: null, address: '2001:4860:4860::8888', family: 6 });
    expect(await lookUp(lookup, 'public.test', { family: 4 })).toEqual({ err: null, address: '8.8.8.8', family: 4 });
  });

  it('lets an allowed host resolve to a private address, whatever its case', async () => {
    const lookup = createGuardedLookup({ allowHosts: ['Feeds.Internal'], resolve: answering(['127.0.0.1']) });
    expect(await lookUp(lookup, 'feeds.internal.')).toEqual({ err: null, address: '127.0.0.1', family: 4 });
  });

  it('reports a name that does not resolve as a DNS failure', async () => {
    const notFound: ResolveHostname = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    };
    const lookup = createGuardedLookup({ allowHosts: [], resolve: notFound });
    const { err } = await lookUp(lookup, 'nowhere.test', { all: true });
    expect((err as SourceError).code).toBe('dns_failed');
  });

  it('reports a name without addresses as a DNS failure', async () => {
    const lookup = createGuardedLookup({ allowHosts: [], resolve: answering([]) });
    const { err } = await lookUp(lookup, 'empty.test');
    expect((err as SourceError).code).toBe('dns_failed');
  });
});
