import KcAdminClient from '@keycloak/keycloak-admin-client';

/** How a Keycloak admin client logs in: a realm's service account, or a master-realm administrator. */
export type KeycloakLogin =
  | { kind: 'service-account'; realm: string; clientId: string; clientSecret: string }
  | { kind: 'master-admin'; username: string; password: string };

interface IssuedToken {
  accessToken: string;
  expiresAt: number;
}

/** Renew this long before the token expires, so a request in flight never carries an expired one. */
const renewBeforeMs = 30_000;

async function requestToken(keycloakUrl: string, login: KeycloakLogin): Promise<IssuedToken> {
  const realm = login.kind === 'service-account' ? login.realm : 'master';
  const form: Record<string, string> =
    login.kind === 'service-account'
      ? { grant_type: 'client_credentials', client_id: login.clientId, client_secret: login.clientSecret }
      : { grant_type: 'password', client_id: 'admin-cli', username: login.username, password: login.password };
  const response = await fetch(`${keycloakUrl}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    const who = login.kind === 'service-account' ? `client ${login.clientId} of realm ${realm}` : 'the master admin';
    throw new Error(`Keycloak refused the login of ${who}: HTTP ${response.status}`);
  }
  const body = (await response.json()) as { access_token: string; expires_in: number };
  return { accessToken: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
}

/**
 * An admin client bound to `realm` whose token is fetched again shortly before it expires: a
 * service-account login gets no refresh token, so re-authenticating is the only way to renew.
 */
export function keycloakAdminClient(keycloakUrl: string, realm: string, login: KeycloakLogin): KcAdminClient {
  const client = new KcAdminClient({ baseUrl: keycloakUrl, realmName: realm, timeout: 15_000 });
  let current: IssuedToken | undefined;
  let pending: Promise<IssuedToken> | undefined;
  client.registerTokenProvider({
    async getAccessToken() {
      if (current && current.expiresAt - Date.now() > renewBeforeMs) return current.accessToken;
      pending ??= requestToken(keycloakUrl, login).finally(() => {
        pending = undefined;
      });
      current = await pending;
      return current.accessToken;
    },
  });
  return client;
}

/** The status and Keycloak's `error` of a failed admin call (the admin client's NetworkError), if it was one. */
export function keycloakFailureOf(
  error: unknown,
): { status: number; error?: string; description?: string } | undefined {
  const failure = error as { response?: { status?: number }; responseData?: unknown };
  if (typeof failure?.response?.status !== 'number') return undefined;
  const data = (failure.responseData ?? {}) as { error?: unknown; error_description?: unknown; errorMessage?: unknown };
  return {
    status: failure.response.status,
    ...(typeof data.error === 'string' ? { error: data.error } : {}),
    ...(typeof data.error_description === 'string'
      ? { description: data.error_description }
      : typeof data.errorMessage === 'string'
        ? { description: data.errorMessage }
        : {}),
  };
}
