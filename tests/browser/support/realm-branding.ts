import { defaultProductName } from '@portal/config';
import { keycloakAdminToken } from '@portal/deploy/local/components';
import { realmBrandingOf } from '@portal/identity/realms';

/**
 * Puts the default product name back into both realms (display names and e-mail subjects), as an
 * identity process with the default configuration would at its start. A suite that runs identity
 * with another PORTAL_PRODUCT_NAME calls it at the end, so suites that read Keycloak's pages
 * without starting identity (keycloak-login.test.ts) meet the default wording.
 */
export async function restoreDefaultRealmBranding(stack: Record<string, string>): Promise<void> {
  const base = stack['KEYCLOAK_URL'] ?? '';
  const token = await keycloakAdminToken(
    base,
    stack['KEYCLOAK_ADMIN_USERNAME'] ?? 'admin',
    stack['KEYCLOAK_ADMIN_PASSWORD'] ?? '',
    10_000,
  );
  const admin = async (method: string, path: string, body: unknown, contentType = 'application/json') => {
    const response = await fetch(`${base}/admin/realms/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`Keycloak admin ${method} ${path}: ${response.status} ${await response.text()}`);
  };
  for (const realm of ['staff', 'portal'] as const) {
    const branding = realmBrandingOf(realm, defaultProductName);
    await admin('PUT', realm, { displayName: branding.displayName, displayNameHtml: branding.displayNameHtml });
    for (const [key, text] of Object.entries(branding.messages)) {
      await admin('PUT', `${realm}/localization/en/${key}`, text, 'text/plain');
    }
  }
}
