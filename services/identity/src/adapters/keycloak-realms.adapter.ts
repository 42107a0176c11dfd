import { keycloakAdminClient } from './keycloak-admin.adapter.ts';

/** The two realms the portal runs on: staff log in to `staff`, customer contacts to `portal`. */
export const portalRealms = ['staff', 'portal'] as const;

/** Resolves when the realm publishes its OpenID configuration, i.e. Keycloak is up and the realm exists. */
export async function checkRealmAvailable(keycloakUrl: string, realm: string): Promise<void> {
  const response = await fetch(`${keycloakUrl}/realms/${realm}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(2_000),
  });
  if (!response.ok) throw new Error(`Keycloak realm ${realm} answered ${response.status}`);
}

/**
 * Writes realm attributes as the master-realm administrator: realm settings need realm-admin
 * rights (`manage-realm`), which the `portal-identity` service account deliberately lacks; this is
 * the login the reconciliation at start already holds, so no grant widens what a leaked
 * service-account secret could change. Keycloak replaces the whole custom-attribute map on a realm
 * update (an attribute left out is deleted), so the current map is read and merged first.
 */
export function realmAttributesWriter(
  keycloakUrl: string,
  admin: { username: string; password: string },
): (realm: string, attributes: Record<string, string>) => Promise<void> {
  const master = keycloakAdminClient(keycloakUrl, 'master', { kind: 'master-admin', ...admin });
  return async (realm, attributes) => {
    const current = await master.realms.findOne({ realm });
    await master.realms.update({ realm }, { attributes: { ...current?.attributes, ...attributes } });
  };
}
