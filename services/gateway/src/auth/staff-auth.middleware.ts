import type { StaffPermission } from '@portal/contracts';
import type { RequestWithClientAddress } from '../http/client-address.ts';
import { authenticateBearer, authenticationMiddleware, type BearerAuthDependencies } from './bearer-auth.ts';
import { permissionsOfRoles } from './staff-permissions.ts';

/** A staff user, as the verified token says. */
export interface StaffPrincipal {
  userId: string;
  username: string | null;
  permissions: ReadonlySet<StaffPermission>;
}

export interface StaffRequest extends RequestWithClientAddress {
  principal?: StaffPrincipal;
}

export type StaffAuthDependencies = BearerAuthDependencies;

/** A staff token (realm `staff`, its audience, an allowed client, not revoked) and its permissions. */
export async function authenticateStaff(request: StaffRequest, deps: StaffAuthDependencies): Promise<StaffPrincipal> {
  const verified = await authenticateBearer(request, deps);
  return { userId: verified.subject, username: verified.username, permissions: permissionsOfRoles(verified.roles) };
}

/** Authenticates every request of the staff route first (so unknown admin paths answer 401 to strangers, not 404). */
export function staffAuthMiddleware(deps: StaffAuthDependencies) {
  return authenticationMiddleware(async (request: StaffRequest) => {
    request.principal = await authenticateStaff(request, deps);
  });
}
