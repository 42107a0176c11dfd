import type { IncomingMessage, ServerResponse } from 'node:http';
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export interface RequestWithClientAddress extends IncomingMessage {
  /** The client's address as seen (IPv4-mapped IPv6 as plain IPv4), for the audit trail. */
  clientAddress?: string | null;
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail folded in). */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (tail) {
    if (!isIPv4(tail)) return null;
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const part = (half: string | undefined) => (half ? half.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const head = part(halves[0]);
  const rest = part(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  return groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? groups : null;
}

/**
 * An address in one spelling: IPv4 as is, an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, in either
 * notation) as its IPv4 address, other IPv6 addresses lower case without a zone. Null when `text` is
 * not an IP address at all.
 */
export function normalizeAddress(text: string): string | null {
  const address = text.trim().replace(/%[\w.-]+$/, '');
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return null;
  const groups = ipv6Groups(address);
  if (!groups) return null;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  return address.toLowerCase();
}

/**
 * The key a client is rate limited under: an IPv4 address, or the /64 an IPv6 address belongs to
 * (one subscriber usually holds a whole /64, so limiting per address would be limiting nothing).
 */
export function rateLimitKeyOf(address: string | null | undefined): string {
  if (!address) return 'unknown';
  const normalized = normalizeAddress(address);
  if (!normalized) return 'unknown';
  if (isIPv4(normalized)) return normalized;
  const groups = ipv6Groups(normalized) ?? [];
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** An entry of `X-Forwarded-For`: an address, possibly with a port (`1.2.3.4:5678`, `[2001:db8::1]:443`). */
function forwardedAddress(entry: string): string | null {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text)?.[1];
  if (bracketed) return normalizeAddress(bracketed);
  const withPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(text)?.[1];
  return normalizeAddress(withPort ?? text);
}

/** The proxies whose `X-Forwarded-For` we believe: single addresses and CIDR blocks, IPv4 and IPv6. */
export interface TrustedProxies {
  readonly isEmpty: boolean;
  has(address: string): boolean;
}

/** The entries of a `GATEWAY_TRUSTED_PROXIES` list that are neither an IP address nor a CIDR block. */
export function invalidProxyEntries(list: string): string[] {
  return proxyEntries(list).filter((entry) => parseProxyEntry(entry) === null);
}

const proxyEntries = (list: string) =>
  list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

function parseProxyEntry(entry: string): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } | null {
  const [rawAddress = '', rawPrefix, ...extra] = entry.split('/');
  if (extra.length > 0) return null;
  const address = normalizeAddress(rawAddress);
  if (!address) return null;
  const type = isIPv4(address) ? 'ipv4' : 'ipv6';
  const max = type === 'ipv4' ? 32 : 128;
  if (rawPrefix === undefined) return { address, prefix: max, type };
  if (!/^\d{1,3}$/.test(rawPrefix) || Number(rawPrefix) > max) return null;
  return { address, prefix: Number(rawPrefix), type };
}

/** Builds the trusted set from a validated list (see `invalidProxyEntries`); empty trusts nobody. */
export function trustedProxiesOf(list: string): TrustedProxies {
  const blocks = new BlockList();
  const entries = proxyEntries(list);
  for (const entry of entries) {
    const parsed = parseProxyEntry(entry);
    if (!parsed) throw new Error(`not an IP address or CIDR block: ${entry}`);
    blocks.addSubnet(parsed.address, parsed.prefix, parsed.type);
  }
  return {
    isEmpty: entries.length === 0,
    has(address) {
      const normalized = normalizeAddress(address);
      if (!normalized || entries.length === 0) return false;
      return blocks.check(normalized, isIPv4(normalized) ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client's address, for rate limits and the audit trail. `X-Forwarded-For` counts only when
 * the direct peer is a trusted proxy; it is then read from the right, skipping further trusted
 * proxies, and the first address that is not one is the client. Entries left of that are whatever
 * the client chose to send. Every proxy in the chain being trusted makes the leftmost the client.
 */
export function clientAddressOf(request: IncomingMessage, trusted: TrustedProxies): string | null {
  const peer = request.socket.remoteAddress ? normalizeAddress(request.socket.remoteAddress) : null;
  if (!peer || !trusted.has(peer)) return peer;
  const forwarded = request.headers['x-forwarded-for'];
  const header = Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '');
  const entries = header.split(',').filter((entry) => entry.trim() !== '');
  let client = peer;
  for (let index = entries.length - 1; index >= 0; index--) {
    const address = forwardedAddress(entries[index] ?? '');
    // A trusted proxy wrote this entry; if it is not an address, the hop before it is all we know.
    if (!address) break;
    client = address;
    if (!trusted.has(address)) break;
  }
  return client;
}

export function assignClientAddress(trusted: TrustedProxies) {
  return (request: RequestWithClientAddress, _response: ServerResponse, next: () => void): void => {
    request.clientAddress = clientAddressOf(request, trusted);
    next();
  };
}
