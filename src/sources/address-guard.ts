import { promises as dnsPromises, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { SourceError } from './types.js';

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has; injectable so tests never touch real DNS. */
export type ResolveHostname = (hostname: string) => Promise<ResolvedAddress[]>;

/**
 * Whether `ip` is an ordinary public unicast address that a feed may live on.
 *
 * Everything ipaddr.js does not class as plain `unicast` is refused: loopback, private, link-local
 * (which includes the 169.254.169.254 cloud metadata service), carrier-grade NAT, unique-local,
 * multicast, unspecified, broadcast, reserved and documentation ranges, and the IPv6 transition
 * ranges (6to4, Teredo, NAT64) whose embedded IPv4 address could point anywhere.
 * An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is judged by the IPv4 address it carries. Any other
 * IPv6 address must also be global unicast (2000::/3): ipaddr.js classes the deprecated
 * IPv4-compatible form (`::127.0.0.1`) as mapped, and unassigned space as unicast.
 */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  if (isIP(ip) !== 6) return ipaddr.parse(ip).range() === 'unicast';
  const canonical = canonicalIPv6(ip);
  // A zone index (`fe80::1%eth0`) only ever names a link-local address.
  if (canonical === null) return false;
  const address = ipaddr.parse(canonical);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) {
    return address.toIPv4Address().range() === 'unicast';
  }
  const globalUnicast = ((address.toByteArray()[0] ?? 0) & 0xe0) === 0x20;
  return globalUnicast && address.range() === 'unicast';
}

/**
 * ipaddr.js reads the dotted tail of `::127.0.0.1` as if it were `::ffff:127.0.0.1`; the WHATWG URL
 * parser spells every IPv6 address in plain hex groups, which ipaddr.js then reads right.
 */
function canonicalIPv6(ip: string): string | null {
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

/**
 * The form of a host name or IP literal used to compare it with the allow list: lower case, without
 * URL brackets or a trailing dot, IP literals in their canonical spelling.
 */
function canonicalHost(host: string): string {
  let canonical = host.trim().toLowerCase();
  if (canonical.startsWith('[') && canonical.endsWith(']')) canonical = canonical.slice(1, -1);
  if (canonical.endsWith('.')) canonical = canonical.slice(0, -1);
  if (isIP(canonical) !== 0) canonical = ipaddr.parse(canonical).toString();
  return canonical;
}

/**
 * A predicate telling whether a host was explicitly allowed by configuration, whatever address it
 * has. Entries may be host names or IP literals; comparison is case-insensitive.
 */
export function createHostAllowList(allowHosts: readonly string[]): (host: string) => boolean {
  const allowed = new Set(allowHosts.map(canonicalHost));
  return (host) => allowed.has(canonicalHost(host));
}

/** Options of {@link createGuardedLookup}. */
export interface GuardedLookupOptions {
  /** Hosts that may resolve to non-public addresses (for example a feed server on the LAN, or tests). */
  allowHosts: readonly string[];
  /** Defaults to the system resolver (`dns.promises.lookup` with `all: true`). */
  resolve?: ResolveHostname;
}

const resolveWithSystem: ResolveHostname = async (hostname) => {
  const found = await dnsPromises.lookup(hostname, { all: true, order: 'verbatim' });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

function wantedFamily(family: LookupOptions['family']): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/**
 * A DNS lookup for `net.connect` (undici's `connect.lookup`) that refuses to hand out a non-public
 * address. Because the socket connects to exactly the addresses checked here, a name cannot be
 * re-resolved to a private address between the check and the connection.
 *
 * The lookup fails with `SourceError('blocked_address')` when ANY address of the name is non-public
 * (a name mixing public and private answers is treated as hostile), unless the name is in
 * `allowHosts`; and with `SourceError('dns_failed')` when the name does not resolve.
 *
 * `net.connect` does not call a lookup for IP literals: check those with {@link isPublicAddress}
 * before connecting.
 */
export function createGuardedLookup(options: GuardedLookupOptions): LookupFunction {
  const resolve = options.resolve ?? resolveWithSystem;
  const isAllowedHost = createHostAllowList(options.allowHosts);

  return (hostname, lookupOptions, callback) => {
    const lookUp = async (): Promise<ResolvedAddress[]> => {
      let resolved: ResolvedAddress[];
      try {
        resolved = await resolve(hostname);
      } catch (err) {
        throw new SourceError('dns_failed', `cannot resolve ${hostname}: ${errorCode(err)}`);
      }
      if (resolved.length === 0) {
        throw new SourceError('dns_failed', `no address for ${hostname}`);
      }
      if (!isAllowedHost(hostname)) {
        const refused = resolved.find(({ address }) => !isPublicAddress(address));
        if (refused) {
          throw new SourceError('blocked_address', `${hostname} resolves to non-public ${refused.address}`);
        }
      }
      const family = wantedFamily(lookupOptions.family);
      const usable = family === 0 ? resolved : resolved.filter((entry) => entry.family === family);
      if (usable.length === 0) {
        throw new SourceError('dns_failed', `no IPv${family} address for ${hostname}`);
      }
      return usable;
    };

    lookUp().then(
      (addresses) => {
        if (lookupOptions.all) {
          callback(null, addresses);
        } else {
          const [first] = addresses as [ResolvedAddress];
          callback(null, first.address, first.family);
        }
      },
      (err: SourceError) => callback(err, lookupOptions.all ? [] : ''),
    );
  };
}

function errorCode(err: unknown): string {
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ?? err.message;
  return String(err);
}
