import { describe, expect, it } from 'vitest';
import { webRequestHeader } from '@portal/contracts';
import { csrfVerdict } from '../../../src/bff/csrf.rules.ts';
import { sanitizeReturnTo } from '../../../src/bff/return-to.rules.ts';
import {
  clearSessionCookie,
  sessionCookieOf,
  sessionIdFromCookieHeader,
  setSessionCookie,
} from '../../../src/bff/session-cookie.ts';
import { singleFlight } from '../../../src/bff/single-flight.ts';
import { tokenCipher } from '../../../src/bff/token-cipher.ts';

describe('returnTo after sign-in', () => {
  it.each([
    ['/admin/accounts?search=x', '/admin/accounts?search=x'],
    ['/admin', '/admin'],
    ['/admin/', '/admin/'],
    ['/admin/contacts/1#portal', '/admin/contacts/1#portal'],
  ])('keeps %s', (given, kept) => expect(sanitizeReturnTo('admin', given)).toBe(kept));

  it.each([
    null,
    '',
    'https://evil.test/admin/',
    '//evil.test/admin/',
    '/\\evil.test/admin',
    '\\\\evil.test',
    '/admin/../portal/',
    '/admin/%2e%2e/api/v1/admin/accounts',
    '/admin/..%2f..%2fapi',
    '/administrator',
    '/portal/me',
    'admin/accounts',
    '/admin/\taccounts',
    'javascript:alert(1)',
    `/admin/${'x'.repeat(3000)}`,
  ])('sends %s home instead', (given) => expect(sanitizeReturnTo('admin', given)).toBe('/admin/'));

  it('stays within its own app', () => {
    expect(sanitizeReturnTo('portal', '/portal/documents?page=2')).toBe('/portal/documents?page=2');
    expect(sanitizeReturnTo('portal', '/admin/accounts')).toBe('/portal/');
  });
});

describe('session cookie', () => {
  it('is a __Host- cookie, Secure, HttpOnly, SameSite=Strict, Path=/ on https', () => {
    const cookie = sessionCookieOf('admin', 'https://portal.example.com');
    expect(cookie).toEqual({ name: '__Host-portal-admin-session', secure: true });
    expect(setSessionCookie(cookie, 'abc')).toBe(
      '__Host-portal-admin-session=abc; Secure; HttpOnly; SameSite=Strict; Path=/',
    );
    expect(sessionCookieOf('portal', 'https://portal.example.com').name).toBe('__Host-portal-session');
  });

  it('drops the prefix and Secure on plain http (development on localhost)', () => {
    const cookie = sessionCookieOf('portal', 'http://127.0.0.1:8080');
    expect(cookie).toEqual({ name: 'portal-session', secure: false });
    expect(setSessionCookie(cookie, 'abc')).toBe('portal-session=abc; HttpOnly; SameSite=Strict; Path=/');
    expect(clearSessionCookie(cookie)).toBe('portal-session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
  });

  it('reads only a well-formed session id of its own name', () => {
    const cookie = sessionCookieOf('admin', 'http://localhost:8080');
    const id = 'A'.repeat(43);
    expect(sessionIdFromCookieHeader(`other=1; portal-admin-session=${id}`, cookie)).toBe(id);
    expect(sessionIdFromCookieHeader(`portal-session=${id}`, cookie)).toBeNull();
    expect(sessionIdFromCookieHeader('portal-admin-session=short', cookie)).toBeNull();
    expect(sessionIdFromCookieHeader(undefined, cookie)).toBeNull();
  });
});

describe('CSRF rule for cookie-authenticated requests', () => {
  const publicOrigin = 'https://portal.example.com';
  const header = { [webRequestHeader.name]: webRequestHeader.value };
  const verdict = (method: string, headers: Record<string, string>) => csrfVerdict({ method, headers, publicOrigin });

  it('lets reads through', () => {
    expect(verdict('GET', {})).toEqual({ allowed: true });
    expect(verdict('HEAD', { origin: 'https://evil.test' })).toEqual({ allowed: true });
  });

  it('needs the header and the portal origin for every write', () => {
    expect(verdict('POST', { ...header, origin: publicOrigin })).toEqual({ allowed: true });
    expect(verdict('DELETE', { ...header, 'sec-fetch-site': 'same-origin' })).toEqual({ allowed: true });
    expect(verdict('POST', { origin: publicOrigin })).toEqual({ allowed: false, reason: 'header' });
    expect(verdict('POST', { [webRequestHeader.name]: 'something-else', origin: publicOrigin })).toMatchObject({
      allowed: false,
    });
    expect(verdict('PATCH', { ...header, origin: 'https://evil.test' })).toEqual({ allowed: false, reason: 'origin' });
    expect(verdict('PUT', { ...header, origin: 'null' })).toEqual({ allowed: false, reason: 'origin' });
    // An Origin that disagrees wins over Sec-Fetch-Site.
    expect(verdict('POST', { ...header, origin: 'https://evil.test', 'sec-fetch-site': 'same-origin' })).toMatchObject({
      allowed: false,
    });
    expect(verdict('POST', { ...header, 'sec-fetch-site': 'same-site' })).toEqual({ allowed: false, reason: 'origin' });
    expect(verdict('POST', header)).toEqual({ allowed: false, reason: 'origin' });
  });
});

describe('token cipher', () => {
  const cipher = tokenCipher('a-session-secret-of-at-least-32-characters');

  it('round-trips a token, with a fresh IV each time', () => {
    const sealed = cipher.encrypt('eyJhbGciOi.token', 'web_session:h:access');
    expect(sealed).not.toContain('eyJ');
    expect(cipher.encrypt('eyJhbGciOi.token', 'web_session:h:access')).not.toBe(sealed);
    expect(cipher.decrypt(sealed, 'web_session:h:access')).toBe('eyJhbGciOi.token');
  });

  it('refuses another context, another key and a tampered value', () => {
    const sealed = cipher.encrypt('token', 'web_session:a:access');
    expect(() => cipher.decrypt(sealed, 'web_session:b:access')).toThrow();
    expect(() =>
      tokenCipher('another-session-secret-of-32-characters!').decrypt(sealed, 'web_session:a:access'),
    ).toThrow();
    const raw = Buffer.from(sealed, 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => cipher.decrypt(raw.toString('base64url'), 'web_session:a:access')).toThrow();
  });

  it('needs a secret of at least 32 characters', () => {
    expect(() => tokenCipher('short')).toThrow(/32/);
  });
});

describe('single flight', () => {
  it('runs concurrent calls of one key once, and starts afresh afterwards', async () => {
    const flights = singleFlight<number>();
    let runs = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const work = async () => {
      runs++;
      await gate;
      return runs;
    };
    const answers = Promise.all([flights.run('s1', work), flights.run('s1', work), flights.run('s1', work)]);
    const other = flights.run('s2', async () => 99);
    release();
    expect(await answers).toEqual([1, 1, 1]);
    expect(await other).toBe(99);
    expect(flights.size()).toBe(0);
    expect(await flights.run('s1', work)).toBe(2);
  });

  it('shares a failure, then tries again', async () => {
    const flights = singleFlight<string>();
    const failing = () => Promise.reject(new Error('invalid_grant'));
    await expect(Promise.all([flights.run('s', failing), flights.run('s', failing)])).rejects.toThrow('invalid_grant');
    expect(await flights.run('s', async () => 'ok')).toBe('ok');
  });
});
