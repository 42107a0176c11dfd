import { randomUUID } from 'node:crypto';
import { devCliClientId } from '@portal/deploy/local/dev-logins';

export interface KeycloakAdmin {
  keycloakUrl: string;
  adminUsername: string;
  adminPassword: string;
}

export interface TemporaryLogin {
  realm: 'staff' | 'portal';
  username: string;
  /** The Keycloak user id: the tokens' `sub`. */
  subject: string;
  /** A fresh access token by the password grant of the dev seed's `portal-cli` client. */
  accessToken(): Promise<string>;
  /** Deletes the user. */
  remove(): Promise<void>;
}

async function adminToken(admin: KeycloakAdmin): Promise<string> {
  const response = await fetch(`${admin.keycloakUrl}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: admin.adminUsername,
      password: admin.adminPassword,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`Keycloak admin sign-in failed: HTTP ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * A login of its own for a test or benchmark that must not disturb the seeded ones (revoking a
 * subject, say): a new user in `realm` with a password and the given realm roles, removed by
 * `remove()`. Needs the dev seed's `portal-cli` client for the password grant.
 */
export async function createTemporaryLogin(
  admin: KeycloakAdmin,
  realm: 'staff' | 'portal',
  options: { roles?: readonly string[]; usernamePrefix?: string } = {},
): Promise<TemporaryLogin> {
  const token = await adminToken(admin);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const username = `${options.usernamePrefix ?? 'temp'}-${randomUUID().slice(0, 8)}@${realm}.test`;
  const password = `Temp-${randomUUID().slice(0, 12)}-1!`;
  const users = `${admin.keycloakUrl}/admin/realms/${realm}/users`;
  const created = await fetch(users, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      username,
      email: username,
      firstName: 'Temporary',
      lastName: 'Login',
      enabled: true,
      emailVerified: true,
      requiredActions: [],
      credentials: [{ type: 'password', value: password, temporary: false }],
    }),
  });
  if (created.status !== 201)
    throw new Error(`creating ${username} failed: HTTP ${created.status} ${await created.text()}`);
  const subject = created.headers.get('location')?.split('/').at(-1) ?? '';
  // Realm staff adds CONFIGURE_TOTP to every new user (a default required action), which blocks the
  // password grant; a temporary test login takes it off, as the dev seed does for its logins.
  const cleared = await fetch(`${users}/${subject}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ requiredActions: [] }),
  });
  if (!cleared.ok) throw new Error(`clearing required actions of ${username} failed: HTTP ${cleared.status}`);
  if (options.roles?.length) {
    const roles = await Promise.all(
      options.roles.map(async (role) => {
        const answer = await fetch(`${admin.keycloakUrl}/admin/realms/${realm}/roles/${encodeURIComponent(role)}`, {
          headers,
        });
        if (!answer.ok) throw new Error(`role ${role} of realm ${realm}: HTTP ${answer.status}`);
        return answer.json();
      }),
    );
    const mapped = await fetch(`${users}/${subject}/role-mappings/realm`, {
      method: 'POST',
      headers,
      body: JSON.stringify(roles),
    });
    if (!mapped.ok) throw new Error(`granting roles to ${username} failed: HTTP ${mapped.status}`);
  }
  return {
    realm,
    username,
    subject,
    async accessToken() {
      const response = await fetch(`${admin.keycloakUrl}/realms/${realm}/protocol/openid-connect/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'password', client_id: devCliClientId, username, password }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`sign-in of ${username} failed: HTTP ${response.status}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async remove() {
      const answer = await fetch(`${users}/${subject}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${await adminToken(admin)}` },
      });
      await answer.body?.cancel();
    },
  };
}

/** The stack's Keycloak admin, from its connection settings (`stackEnv()` or the launcher's record). */
export function keycloakAdminOf(env: Record<string, string | undefined>): KeycloakAdmin {
  return {
    keycloakUrl: env.KEYCLOAK_URL ?? '',
    adminUsername: env.KEYCLOAK_ADMIN_USERNAME ?? 'admin',
    adminPassword: env.KEYCLOAK_ADMIN_PASSWORD ?? '',
  };
}
