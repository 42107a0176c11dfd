import type { ActionResult, StaffRole } from '@portal/contracts';
import { contractAction } from '@portal/kit';
import type moleculer from 'moleculer';
import type { StaffUser, StaffUsers } from '../adapters/staff-users.adapter.ts';

type StaffRecipients = ActionResult<'identity.listStaffRecipients'>;

/** The staff users holding any of `roles`, by e-mail then id (a stable order for tests and e-mails). */
export function staffRecipientsOf(users: readonly StaffUser[], roles: readonly StaffRole[]): StaffRecipients {
  const wanted = new Set<string>(roles);
  return users
    .filter((user) => user.roles.some((role) => wanted.has(role)))
    .map(({ userId, email, name }) => ({ userId, email, name }))
    .sort((a, b) => (a.email ?? '').localeCompare(b.email ?? '') || a.userId.localeCompare(b.userId));
}

/**
 * `identity.listStaffRecipients`: Keycloak's staff realm read at most once per `ttlMs` (concurrent
 * callers share one read), since every staff-facing event asks. A role granted in Keycloak shows
 * within `ttlMs`.
 */
export function staffRecipientsAction(
  users: StaffUsers,
  ttlMs: number,
  now: () => number = Date.now,
): Record<string, moleculer.ActionSchema> {
  let cached: { users: StaffUser[]; until: number } | undefined;
  let pending: Promise<StaffUser[]> | undefined;
  async function current(): Promise<StaffUser[]> {
    if (cached && cached.until > now()) return cached.users;
    pending ??= users
      .listEnabled()
      .then((list) => {
        cached = { users: list, until: now() + ttlMs };
        return list;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  }
  return {
    listStaffRecipients: contractAction('identity.listStaffRecipients', async ({ roles }) =>
      staffRecipientsOf(await current(), roles),
    ),
  };
}
