import type KcAdminClient from '@keycloak/keycloak-admin-client';

/** A user of realm `staff` as the bell and staff e-mails need it. */
export interface StaffUser {
  userId: string;
  email: string | null;
  name: string | null;
  /** Effective realm roles: direct, by group and by composite role. */
  roles: string[];
}

export interface StaffUsers {
  /** Every enabled staff user with its effective realm roles. */
  listEnabled(): Promise<StaffUser[]>;
}

const pageSize = 100;
/** A staff realm is people, not customers: beyond this the list is cut (and the README says so). */
const maxUsers = 2000;
const concurrentRoleReads = 8;

/**
 * Realm `staff` read through the `portal-identity` service account (view-users is enough: the
 * users, then each one's effective realm roles; `roles/{role}/users` would need view-realm and
 * misses roles held through groups).
 */
export function staffUsersOf(admin: KcAdminClient): StaffUsers {
  return {
    async listEnabled() {
      const users: { id: string; email: string | null; name: string | null }[] = [];
      for (let first = 0; first < maxUsers; first += pageSize) {
        const page = await admin.users.find({ first, max: pageSize, enabled: true, briefRepresentation: true });
        for (const user of page) {
          if (!user.id || user.enabled === false) continue;
          const name = [user.firstName, user.lastName].filter(Boolean).join(' ').trim();
          users.push({ id: user.id, email: user.email ?? null, name: name === '' ? (user.username ?? null) : name });
        }
        if (page.length < pageSize) break;
      }
      const result: StaffUser[] = [];
      for (let start = 0; start < users.length; start += concurrentRoleReads) {
        const batch = users.slice(start, start + concurrentRoleReads);
        const roles = await Promise.all(
          batch.map((user) => admin.users.listCompositeRealmRoleMappings({ id: user.id })),
        );
        batch.forEach((user, index) =>
          result.push({
            userId: user.id,
            email: user.email,
            name: user.name,
            roles: (roles[index] ?? []).flatMap((role) => (role.name ? [role.name] : [])),
          }),
        );
      }
      return result;
    },
  };
}
