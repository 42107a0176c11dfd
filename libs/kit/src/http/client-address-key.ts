import { isIPv4, isIPv6 } from 'node:net';

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
