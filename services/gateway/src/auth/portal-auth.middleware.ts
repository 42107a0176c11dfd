import type { RequestWithClientAddress } from '../http/client-address.ts';
import { authenticateBearer, authenticationMiddleware, type BearerAuthDependencies } from './bearer-auth.ts';
import type { PortalPrincipal, PortalPrincipalResolver } from './portal-principals.ts';

export interface PortalRequest extends RequestWithClientAddress {
  portalPrincipal?: PortalPrincipal;
}

export interface PortalAuthDependencies extends BearerAuthDependencies {
  principals: PortalPrincipalResolver;
}

/**
 * A portal token (realm `portal`, its audience, an allowed client, not revoked), then the contact
 * it belongs to, with enabled access. The rate limit is charged before the principal is looked up,
 * so a flood from one login never reaches the directory.
 */
export async function authenticatePortal(
  request: PortalRequest,
  deps: PortalAuthDependencies,
): Promise<PortalPrincipal> {
  const verified = await authenticateBearer(request, deps);
  return deps.principals.resolve(verified.subject);
}

/** Authenticates every request of the portal route first: strangers learn nothing about its paths. */
export function portalAuthMiddleware(deps: PortalAuthDependencies) {
  return authenticationMiddleware(async (request: PortalRequest) => {
    request.portalPrincipal = await authenticatePortal(request, deps);
  });
}
