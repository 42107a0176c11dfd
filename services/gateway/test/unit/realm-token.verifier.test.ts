import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  realmTokenVerifier,
  type RealmTokenVerifierOptions,
  type RevocationCheck,
  type TokenVerifier,
} from '../../src/adapters/realm-token.verifier.ts';

const keycloakUrl = 'http://keycloak.test';
const staffIssuer = `${keycloakUrl}/realms/staff`;
let sign: (claims: JWTPayload, options?: { alg?: string; expiresIn?: string | number }) => Promise<string>;
let keys: RealmTokenVerifierOptions['keys'];
let verifier: TokenVerifier;

const verifierFor = (options: Partial<RealmTokenVerifierOptions> = {}) =>
  realmTokenVerifier({
    realm: 'staff',
    keycloakUrl,
    keys,
    audience: 'staff-api',
    allowedClients: ['portal-gateway', 'portal-cli'],
    ...options,
  });

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  keys = createLocalJWKSet({ keys: [jwk] });
  verifier = verifierFor();
  sign = (claims, options = {}) =>
    // Claims given by a test override the defaults (the setters would otherwise win).
    new SignJWT({
      typ: 'Bearer',
      realm_access: { roles: ['viewer', 'offline_access'] },
      iss: staffIssuer,
      aud: ['portal-gateway', 'staff-api'],
      azp: 'portal-gateway',
      sub: 'user-1',
      iat: Math.floor(Date.now() / 1000),
      ...claims,
    })
      .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: 'k1' })
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(privateKey);
});

async function rejection(token: Promise<string> | string, with_: TokenVerifier = verifier) {
  return with_.verify(await token).then(
    () => 'accepted',
    (error: { code?: number; type?: string }) => `${error.code} ${error.type}`,
  );
}

/** A revocation list of fixed entries, `<realm>:<subject>` → revokedAt (ms). */
function revocationsOf(entries: Record<string, number>): RevocationCheck {
  return {
    ready: Promise.resolve(),
    isRevoked: (realm, subject, issuedAtSeconds) => {
      const at = entries[`${realm}:${subject}`];
      return at !== undefined && issuedAtSeconds * 1000 <= at;
    },
  };
}

describe('realm token verifier', () => {
  it('accepts an access token of its realm and reads its subject, roles, client and issue time', async () => {
    const iat = Math.floor(Date.now() / 1000) - 10;
    await expect(verifier.verify(await sign({ preferred_username: 'vera', iat }))).resolves.toEqual({
      realm: 'staff',
      subject: 'user-1',
      roles: ['viewer', 'offline_access'],
      username: 'vera',
      client: 'portal-gateway',
      issuedAt: iat,
    });
  });

  it('refuses expired tokens, other issuers, other audiences, ID tokens and garbage with 401', async () => {
    expect(await rejection(sign({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 }))).toBe('401 UNAUTHENTICATED');
    expect(await rejection(sign({ iss: `${keycloakUrl}/realms/portal` }))).toBe('401 UNAUTHENTICATED');
    expect(await rejection(sign({ aud: 'account' }))).toBe('401 UNAUTHENTICATED');
    expect(await rejection(sign({ typ: 'ID' }))).toBe('401 UNAUTHENTICATED');
    expect(await rejection('not.a.jwt')).toBe('401 UNAUTHENTICATED');
    const token = await sign({});
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'admin' }),
    );
    expect(await rejection(`${header}.${forged.toString('base64url')}.${signature}`)).toBe('401 UNAUTHENTICATED');
  });

  it("wants the realm's own audience: the shared gateway audience alone, or the other realm's, is refused", async () => {
    expect(await rejection(sign({ aud: 'portal-gateway' }))).toBe('401 UNAUTHENTICATED');
    expect(await rejection(sign({ aud: ['portal-gateway', 'portal-api'] }))).toBe('401 UNAUTHENTICATED');
    expect(await rejection(sign({ aud: 'staff-api' }))).toBe('accepted');
    // The audience is configurable (GATEWAY_STAFF_AUDIENCE).
    expect(await rejection(sign({ aud: 'staff-api' }), verifierFor({ audience: 'other-api' }))).toBe(
      '401 UNAUTHENTICATED',
    );
  });

  it('accepts only tokens issued to an allowed client (azp)', async () => {
    expect(await rejection(sign({ azp: 'portal-cli' }))).toBe('accepted');
    expect(await rejection(sign({ azp: 'account-console' }))).toBe('401 UNAUTHENTICATED');
    expect(await rejection(sign({ azp: undefined }))).toBe('401 UNAUTHENTICATED');
    expect(await rejection(sign({ azp: 'portal-cli' }), verifierFor({ allowedClients: ['portal-gateway'] }))).toBe(
      '401 UNAUTHENTICATED',
    );
  });

  it('refuses a token of a revoked subject issued before (or in the second of) the revocation, not after', async () => {
    const now = Math.floor(Date.now() / 1000);
    const revoked = verifierFor({ revocations: revocationsOf({ 'staff:user-1': now * 1000 }) });
    expect(await rejection(sign({ iat: now - 60 }), revoked)).toBe('401 UNAUTHENTICATED');
    expect(await rejection(sign({ iat: now }), revoked)).toBe('401 UNAUTHENTICATED');
    expect(await rejection(sign({ iat: now + 1 }), revoked)).toBe('accepted');
    expect(await rejection(sign({ iat: now - 60, sub: 'user-2' }), revoked)).toBe('accepted');
    // The same subject revoked in the other realm is another login.
    const otherRealm = verifierFor({ revocations: revocationsOf({ 'portal:user-1': now * 1000 }) });
    expect(await rejection(sign({ iat: now - 60 }), otherRealm)).toBe('accepted');
  });

  it('waits for the revocation list to be loaded before accepting anything', async () => {
    let load: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (load = resolve));
    const loading = verifierFor({ revocations: { ready, isRevoked: () => false } });
    let settled = false;
    const answer = loading.verify(await sign({})).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    load();
    await expect(answer).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('requires iat', async () => {
    expect(await rejection(sign({ iat: undefined }))).toBe('401 UNAUTHENTICATED');
  });

  it('tolerates a few seconds of clock skew, not more', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await rejection(sign({}, { expiresIn: now - 2 }))).toBe('accepted');
    expect(await rejection(sign({ nbf: now + 30 }))).toBe('401 UNAUTHENTICATED');
  });

  it('answers 503, not 401, when the signing keys cannot be fetched', async () => {
    const unreachable = verifierFor({ keys: undefined, keycloakUrl: 'http://127.0.0.1:9' });
    expect(await rejection(sign({}), unreachable)).toBe('503 DEPENDENCY_UNAVAILABLE');
  });
});
