import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { greetingNameOf, unsubscribeLinksOf } from '../../src/email/email-delivery.ts';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../src/email/unsubscribe-token.ts';

const secret = 'a-test-secret-of-at-least-thirty-two-characters';
const claim = {
  recipient: { kind: 'contact' as const, id: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  scope: 'submittal.sent' as const,
};

describe('unsubscribe tokens', () => {
  it('round-trips the recipient and event type', () => {
    const token = signUnsubscribeToken(secret, claim);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyUnsubscribeToken(secret, token)).toEqual(claim);
    expect(verifyUnsubscribeToken(secret, signUnsubscribeToken(secret, { ...claim, scope: 'digest' }))?.scope).toBe(
      'digest',
    );
  });

  it('refuses a token whose payload was changed to another recipient or event type', () => {
    const token = signUnsubscribeToken(secret, claim);
    const [, signature] = token.split('.');
    for (const other of [
      { ...claim, recipient: { kind: 'contact' as const, id: 'another-contact' } },
      { ...claim, recipient: { kind: 'staff' as const, id: claim.recipient.id } },
      { ...claim, scope: 'access-request.received' as const },
    ]) {
      const [payload] = signUnsubscribeToken(secret, other).split('.');
      expect(verifyUnsubscribeToken(secret, `${payload}.${signature}`)).toBeNull();
    }
  });

  it('refuses a token signed with another secret, a truncated or altered signature, and garbage', () => {
    const token = signUnsubscribeToken(secret, claim);
    expect(verifyUnsubscribeToken(`${secret}-rotated`, token)).toBeNull();
    expect(verifyUnsubscribeToken(secret, token.slice(0, -2))).toBeNull();
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(verifyUnsubscribeToken(secret, flipped)).toBeNull();
    expect(verifyUnsubscribeToken(secret, 'nonsense')).toBeNull();
    expect(verifyUnsubscribeToken(secret, `${token}.extra`)).toBeNull();
  });

  it('refuses a correctly signed payload that is not a claim', () => {
    const payload = Buffer.from(JSON.stringify({ k: 'robot', r: 'x', e: 'submittal.sent' })).toString('base64url');
    const mac = createHmac('sha256', `notifications-unsubscribe:${secret}`).update(payload).digest('base64url');
    expect(verifyUnsubscribeToken(secret, `${payload}.${mac}`)).toBeNull();
  });

  it("gives the body's link to the portal's landing page and the header's to the one-click API, with the same token", () => {
    const settings = {
      from: 'x@y.test',
      productName: 'P',
      publicUrl: 'https://portal.test',
      unsubscribeSecret: secret,
    };
    const links = unsubscribeLinksOf(settings, claim.recipient, claim.scope);
    const token = signUnsubscribeToken(secret, claim);
    expect(links.page).toBe(`https://portal.test/portal/unsubscribe/${token}`);
    expect(links.oneClick).toBe(`https://portal.test/api/v1/public/unsubscribe/${token}`);
  });

  it('greets by name when one is known, else "there"', () => {
    expect(greetingNameOf('Grace Hopper')).toBe('Grace Hopper');
    expect(greetingNameOf(' ')).toBe('there');
    expect(greetingNameOf(null)).toBe('there');
  });
});
