/** The two realms the portal runs on: staff log in to `staff`, customer contacts to `portal`. */
export const portalRealms = ['staff', 'portal'] as const;

/** Resolves when the realm publishes its OpenID configuration, i.e. Keycloak is up and the realm exists. */
export async function checkRealmAvailable(keycloakUrl: string, realm: string): Promise<void> {
  const response = await fetch(`${keycloakUrl}/realms/${realm}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(2_000),
  });
  if (!response.ok) throw new Error(`Keycloak realm ${realm} answered ${response.status}`);
}
