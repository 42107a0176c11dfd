// Seeded Keycloak logins for LOCAL DEVELOPMENT AND TESTS ONLY (applied by the launcher from
// deploy/keycloak/dev-seed/ unless startStack({ devSeed: false })). This module is the single source
// of the passwords: the seed JSON files hold the users without credentials and the launcher adds
// these passwords (non-temporary) when it imports them.
// Tests fetch tokens with the password grant through the public client `portal-cli`.

export interface DevLogin {
  realm: 'staff' | 'portal';
  username: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  /** Realm roles granted by the seed. */
  roles: readonly string[];
}

/** Public client with direct access grants, present in both realms when the dev seed is applied. */
export const devCliClientId = 'portal-cli';

export const devLogins = {
  staffAdmin: {
    realm: 'staff',
    username: 'admin@staff.test',
    email: 'admin@staff.test',
    password: 'Admin-Dev-Pass1!',
    firstName: 'Ada',
    lastName: 'Admin',
    roles: ['portal-admin'],
  },
  staffManager: {
    realm: 'staff',
    username: 'manager@staff.test',
    email: 'manager@staff.test',
    password: 'Manager-Dev-Pass1!',
    firstName: 'Max',
    lastName: 'Manager',
    roles: ['portal-manager'],
  },
  staffViewer: {
    realm: 'staff',
    username: 'viewer@staff.test',
    email: 'viewer@staff.test',
    password: 'Viewer-Dev-Pass1!',
    firstName: 'Vera',
    lastName: 'Viewer',
    roles: ['viewer'],
  },
  customerContact: {
    realm: 'portal',
    username: 'contact@customer.test',
    email: 'contact@customer.test',
    password: 'Contact-Dev-Pass1!',
    firstName: 'Cora',
    lastName: 'Contact',
    roles: [],
  },
} as const satisfies Record<string, DevLogin>;

export type DevLoginKey = keyof typeof devLogins;

/**
 * The password-grant answer for a dev-seed login through the dev-only `portal-cli` client: the
 * HTTP status and, when it worked, the access token. Callers decide what a failure means.
 */
export async function devLoginToken(
  keycloakUrl: string,
  login: DevLoginKey,
): Promise<{ status: number; accessToken: string | null }> {
  const { realm, username, password } = devLogins[login];
  const response = await fetch(`${keycloakUrl}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: devCliClientId, username, password }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    await response.body?.cancel();
    return { status: response.status, accessToken: null };
  }
  return { status: response.status, accessToken: ((await response.json()) as { access_token: string }).access_token };
}

/**
 * An access token for a seeded login: the one way tests, benchmarks and the demo loader sign in.
 * Throws when the seed is missing or the login is refused.
 */
export async function devAccessToken(keycloakUrl: string, login: DevLoginKey): Promise<string> {
  const { status, accessToken } = await devLoginToken(keycloakUrl, login);
  if (!accessToken) throw new Error(`sign-in of ${login} at ${keycloakUrl} failed: HTTP ${status}`);
  return accessToken;
}
