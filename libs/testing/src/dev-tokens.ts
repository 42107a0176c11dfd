import { devCliClientId, devLogins, type DevLoginKey } from '../../../deploy/local/dev-logins.ts';

/**
 * The password-grant answer for a dev-seed login through the dev-only `portal-cli` client: the
 * HTTP status and, when it worked, the access token. Tests decide what a failure means.
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
