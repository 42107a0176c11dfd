import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { realmTokenVerifier, staffTokenVerifier, type TokenVerifier } from '../../src/adapters/staff-token.verifier.ts';

const keycloakUrl = 'http://keycloak.test';
const issuer = `${keycloakUrl}/realms/staff`;
let sign: (claims: JWTPayload, options?: { alg?: string; expiresIn?: string | number }) => Promise<string>;
let verifier: TokenVerifier;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const keys = createLocalJWKSet({ keys: [jwk] });
  verifier = staffTokenVerifier({ keycloakUrl, keys });
  sign = (claims, options = {}) =>
    // Claims given by a test override the defaults (the setters would otherwise win).
    new SignJWT({
      typ: 'Bearer',
      realm_access: { roles: ['viewer', 'offline_access'] },
      iss: issuer,
      aud: 'portal-gateway',
      sub: 'user-1',
      ...claims,
    })
      .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: 'k1' })
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(privateKey);
});

async function rejection(token: Promise<string> | string, with_: TokenVerifier = verifier) {
  return with_.verify(await token).then(
    () => 'accepted',
    (error: { code?: number; type?: string }) => `${error.code} ${error.type}`,
  );
}

describe('staff token verifier', () => {
  it('accepts a staff access token and reads its subject and realm roles', async () => {
    await expect(verifier.verify(await sign({ preferred_username: 'vera' }))).resolves.toEqual({
      realm: 'staff',
      subject: 'user-1',
      roles: ['viewer', 'offline_access'],
      username: 'vera',
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

  it('tolerates a few seconds of clock skew, not more', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await rejection(sign({}, { expiresIn: now - 2 }))).toBe('accepted');
    expect(await rejection(sign({ nbf: now + 30 }))).toBe('401 UNAUTHENTICATED');
  });

  it('answers 503, not 401, when the signing keys cannot be fetched', async () => {
    const unreachable = realmTokenVerifier({ realm: 'staff', keycloakUrl: 'http://127.0.0.1:9' });
    expect(await rejection(sign({}), unreachable)).toBe('503 DEPENDENCY_UNAVAILABLE');
  });
});
