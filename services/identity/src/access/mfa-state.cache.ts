import type { PortalUsers } from '../adapters/portal-users.adapter.ts';

/**
 * Whether a login has TOTP set up, cached briefly per Keycloak user: `/portal/me` is read on every
 * portal page, Keycloak's credentials endpoint should not be. Identity's own MFA operations forget
 * the entry at once; a contact setting TOTP up in Keycloak shows within `ttlMs`.
 */
export function mfaStateCache(users: PortalUsers, ttlMs: number, now: () => number = Date.now) {
  const entries = new Map<string, { configured: boolean; until: number }>();
  return {
    async get(userId: string): Promise<boolean> {
      const hit = entries.get(userId);
      if (hit && hit.until > now()) return hit.configured;
      const configured = (await users.otpCredentialIds(userId)).length > 0;
      if (entries.size > 10_000) entries.clear();
      entries.set(userId, { configured, until: now() + ttlMs });
      return configured;
    },
    forget(userId: string): void {
      entries.delete(userId);
    },
    clear(): void {
      entries.clear();
    },
  };
}
