import type { IncomingMessage, ServerResponse } from 'node:http';
import { BlockList, isIPv4 } from 'node:net';
import { normalizeAddress } from '@portal/kit';

// One spelling of an address and its rate-limit key live in the kit: identity limits the public forms by the same key.
export { normalizeAddress, rateLimitKeyOf } from '@portal/kit';

export interface RequestWithClientAddress extends IncomingMessage {
  /** The client's address as seen (IPv4-mapped IPv6 as plain IPv4), for the audit trail. */
  clientAddress?: string | null;
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
