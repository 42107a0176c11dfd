import { createRemoteJWKSet, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireStackVar } from '@portal/testing';
import { devCliClientId, devLogins } from '@portal/deploy/local/dev-logins';
import { requireComponent } from './component-probes.ts';

async function passwordGrant(keycloakUrl: string, realm: string, username: string, password: string) {
  const response = await fetch(`${keycloakUrl}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: devCliClientId,
      username,
      password,
      scope: 'openid',
    }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Keycloak: tokens from the seeded realms', () => {
  let keycloakUrl: string;

  beforeAll(async () => {
    await requireComponent('keycloak');
    keycloakUrl = requireStackVar('KEYCLOAK_URL');
  });

  it('issues a token for the seeded portal contact that verifies against the realm JWKS', async () => {
    const contact = devLogins.customerContact;
    const { status, body } = await passwordGrant(keycloakUrl, 'portal', contact.username, contact.password);
    expect(status).toBe(200);

    const issuer = `${keycloakUrl}/realms/portal`;
    const jwks = createRemoteJWKSet(new URL(`${issuer}/protocol/openid-connect/certs`));
    const { payload, protectedHeader } = await jwtVerify(String(body.access_token), jwks, { issuer });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ azp: devCliClientId, email: contact.email, preferred_username: contact.username });
  });

  it("does not verify the portal contact's token as a staff token", async () => {
    const contact = devLogins.customerContact;
    const { body } = await passwordGrant(keycloakUrl, 'portal', contact.username, contact.password);
    const staffIssuer = `${keycloakUrl}/realms/staff`;
    const staffKeys = createRemoteJWKSet(new URL(`${staffIssuer}/protocol/openid-connect/certs`));
    await expect(jwtVerify(String(body.access_token), staffKeys, { issuer: staffIssuer })).rejects.toThrow();
  });

  it('carries the staff role of the seeded staff admin', async () => {
    const admin = devLogins.staffAdmin;
    const { status, body } = await passwordGrant(keycloakUrl, 'staff', admin.username, admin.password);
    expect(status).toBe(200);
    const issuer = `${keycloakUrl}/realms/staff`;
    const jwks = createRemoteJWKSet(new URL(`${issuer}/protocol/openid-connect/certs`));
    const { payload } = await jwtVerify(String(body.access_token), jwks, { issuer });
    expect((payload.realm_access as { roles: string[] }).roles).toContain('portal-admin');
  });

  it('refuses a wrong password', async () => {
    const { status, body } = await passwordGrant(
      keycloakUrl,
      'portal',
      devLogins.customerContact.username,
      'Wrong-Pass-123!',
    );
    // RFC 6749 §5.2: a wrong resource-owner password is an invalid grant, answered 400.
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
    expect(body.access_token).toBeUndefined();
  });
});
