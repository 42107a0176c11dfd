import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  clientAddressOf,
  invalidProxyEntries,
  normalizeAddress,
  rateLimitKeyOf,
  trustedProxiesOf,
} from '../../src/http/client-address.ts';
import { gatewayModule } from '../../src/gateway.module.ts';

const request = (peer: string, forwarded?: string | string[]) =>
  ({
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
    socket: { remoteAddress: peer },
  }) as unknown as IncomingMessage;

describe('client address', () => {
  it('reads IPv4-mapped IPv6 addresses as IPv4, in either notation', () => {
    expect(normalizeAddress('::ffff:10.0.0.7')).toBe('10.0.0.7');
    expect(normalizeAddress('::FFFF:a00:7')).toBe('10.0.0.7');
    expect(normalizeAddress('2001:DB8::1')).toBe('2001:db8::1');
    expect(normalizeAddress('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeAddress('not-an-ip')).toBeNull();
  });

  it('keys IPv6 clients by their /64 and IPv4 ones (mapped or not) by their address', () => {
    expect(rateLimitKeyOf('2001:db8:1:2:aaaa::1')).toBe(rateLimitKeyOf('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(rateLimitKeyOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(rateLimitKeyOf('2001:db8:1:3::1')).not.toBe(rateLimitKeyOf('2001:db8:1:2::1'));
    expect(rateLimitKeyOf('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(rateLimitKeyOf('198.51.100.4')).not.toBe(rateLimitKeyOf('198.51.100.5'));
    expect(rateLimitKeyOf(null)).toBe('unknown');
  });

  it('ignores X-Forwarded-For when no proxy is trusted, or when the peer is not one', () => {
    expect(clientAddressOf(request('::ffff:10.0.0.7', '1.2.3.4'), trustedProxiesOf(''))).toBe('10.0.0.7');
    expect(clientAddressOf(request('192.0.2.50', '1.2.3.4'), trustedProxiesOf('10.0.0.0/8'))).toBe('192.0.2.50');
  });

  it('walks X-Forwarded-For from the right, skipping trusted proxies (IPv4 and IPv6, addresses and blocks)', () => {
    const trusted = trustedProxiesOf('10.0.0.0/8, 2001:db8:ffff::/48, 192.0.2.1');
    // The client forged the first entry; two trusted hops appended the rest.
    expect(clientAddressOf(request('::ffff:10.0.0.7', '6.6.6.6, 203.0.113.9, 192.0.2.1'), trusted)).toBe('203.0.113.9');
    expect(clientAddressOf(request('2001:db8:ffff::5', ['6.6.6.6', '2001:db8:abcd::9']), trusted)).toBe(
      '2001:db8:abcd::9',
    );
    expect(clientAddressOf(request('10.1.1.1', '[2001:db8:abcd::9]:443, 10.2.2.2'), trusted)).toBe('2001:db8:abcd::9');
    expect(clientAddressOf(request('10.1.1.1', '203.0.113.9:5678'), trusted)).toBe('203.0.113.9');
    expect(clientAddressOf(request('10.1.1.1', '::ffff:203.0.113.9'), trusted)).toBe('203.0.113.9');
    // Every hop trusted: the leftmost is the client. No header: the peer itself.
    expect(clientAddressOf(request('10.1.1.1', '10.3.3.3, 10.2.2.2'), trusted)).toBe('10.3.3.3');
    expect(clientAddressOf(request('10.1.1.1'), trusted)).toBe('10.1.1.1');
    // Garbage where a trusted proxy should have written an address: the last trusted hop is all we know.
    expect(clientAddressOf(request('10.1.1.1', '203.0.113.9, junk, 10.2.2.2'), trusted)).toBe('10.2.2.2');
  });

  it('validates GATEWAY_TRUSTED_PROXIES entry by entry', () => {
    expect(invalidProxyEntries('10.0.0.1, 10.0.0.0/8, ::1, 2001:db8::/32, ::ffff:10.0.0.1')).toEqual([]);
    expect(invalidProxyEntries('10.0.0.1/33, proxy.internal, 2001:db8::/129, 10.0.0.0/8/1, 1.2.3')).toEqual([
      '10.0.0.1/33',
      'proxy.internal',
      '2001:db8::/129',
      '10.0.0.0/8/1',
      '1.2.3',
    ]);
  });
});

describe('gateway environment: trusted proxies', () => {
  it('lists every bad variable at once, naming each bad proxy entry', () => {
    const result = gatewayModule.env.safeParse({
      KEYCLOAK_URL: 'http://keycloak:8080',
      GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, proxy.internal, 300.1.1.1',
      GATEWAY_TRUST_PROXY: 'true',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '0',
    });
    expect(result.success).toBe(false);
    const problems = result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GATEWAY_TRUSTED_PROXIES: .*"proxy\.internal", "300\.1\.1\.1"/),
        expect.stringMatching(/^GATEWAY_TRUST_PROXY: replaced by GATEWAY_TRUSTED_PROXIES/),
        expect.stringMatching(/^GATEWAY_RATE_LIMIT_PER_MINUTE: /),
      ]),
    );
  });
});
