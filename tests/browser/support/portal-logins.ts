import { randomUUID } from 'node:crypto';
import { keycloakAdminToken } from '@portal/deploy/local/components';

/** A portal login made for one test, so locking or resetting it never disturbs another test. */
export interface PortalLogin {
  email: string;
  password: string;
  userId: string;
}

/**
 * Portal logins straight through Keycloak's admin API: the arrangement of tests whose subject is
 * Keycloak's own pages (brute force, forgot password). Staff give access through the identity
 * service's staff API (portal-access.test.ts).
 */
export function portalLogins(stack: Record<string, string>) {
  const base = stack['KEYCLOAK_URL'] ?? '';
  const admin = async (method: string, path: string, body?: unknown) => {
    const token = await keycloakAdminToken(
      base,
      stack['KEYCLOAK_ADMIN_USERNAME'] ?? 'admin',
      stack['KEYCLOAK_ADMIN_PASSWORD'] ?? '',
      10_000,
    );
    const response = await fetch(`${base}/admin/realms/portal${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`Keycloak admin ${method} ${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  return {
    async create(prefix: string): Promise<PortalLogin> {
      const email = `${prefix}-${randomUUID().slice(0, 8)}@customer.test`;
      const password = `Browser-${randomUUID().slice(0, 8)}-Pass1!`;
      const created = await admin('POST', '/users', {
        username: email,
        email,
        firstName: 'Test',
        lastName: prefix,
        enabled: true,
        emailVerified: true,
        credentials: [{ type: 'password', value: password, temporary: false }],
      });
      const userId = (created.headers.get('location') ?? '').split('/').pop() ?? '';
      return { email, password, userId };
    },
    /** Keycloak's brute-force record of the user: `disabled` while it is locked out. */
    async lockout(login: PortalLogin): Promise<{ disabled: boolean; numFailures: number }> {
      const response = await admin('GET', `/attack-detection/brute-force/users/${login.userId}`);
      return (await response.json()) as { disabled: boolean; numFailures: number };
    },
    /** The custom attributes of realm `portal` (where the identity service writes the login links). */
    async realmAttributes(): Promise<Record<string, string>> {
      const realm = (await (await admin('GET', '')).json()) as { attributes?: Record<string, string> };
      return realm.attributes ?? {};
    },
    /** Replaces the custom attributes of realm `portal`: Keycloak deletes those left out. */
    async setRealmAttributes(attributes: Record<string, string>): Promise<void> {
      await admin('PUT', '', { attributes });
    },
    async remove(login: PortalLogin): Promise<void> {
      await admin('DELETE', `/users/${login.userId}`);
    },
  };
}
