import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StaffPermission } from '@portal/contracts';
import type { TokenVerifier } from '../adapters/staff-token.verifier.ts';
import { rateLimited, unauthenticated } from '../errors.ts';
import type { RequestWithClientAddress } from '../http/client-address.ts';
import { chargeClientAddress, clientBucketOf } from '../http/rate-limit.middleware.ts';
import type { RateLimiter } from '../http/rate-limiter.ts';
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

/** The token of an `Authorization: Bearer …` header, or null when there is none. */
export function bearerTokenOf(request: IncomingMessage): string | null {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

export interface StaffAuthDependencies {
  verifier: TokenVerifier;
  /** Per token `sub`, once authenticated. */
  principalLimiter: RateLimiter;
  /** Per client address, for requests that do not authenticate. */
  anonymousLimiter: RateLimiter;
}

/**
 * Authenticates every request of the staff route before anything else happens (so unknown admin
 * paths answer 401 to strangers, not 404). Every request is first charged to its client address,
 * before any token work (signature check, key fetch): a flood of bad tokens from one address is
 * refused with 429 once that budget is spent, without verifying each. A token that verifies gets
 * its charge back and is charged to its principal instead, so signed-in users behind one address
 * do not share the anonymous budget (though they do meet its 429 while their address is flooding).
 */
export async function authenticateStaff(request: StaffRequest, deps: StaffAuthDependencies): Promise<StaffPrincipal> {
  chargeClientAddress(request, deps.anonymousLimiter);
  const token = bearerTokenOf(request);
  if (!token) throw unauthenticated('missing_token');
  const verified = await deps.verifier.verify(token);
  deps.anonymousLimiter.refund(clientBucketOf(request));
  const decision = deps.principalLimiter.take(`sub:${verified.subject}`);
  if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
  return { userId: verified.subject, username: verified.username, permissions: permissionsOfRoles(verified.roles) };
}

export function staffAuthMiddleware(deps: StaffAuthDependencies) {
  return (request: StaffRequest, _response: ServerResponse, next: (error?: Error) => void): void => {
    authenticateStaff(request, deps).then(
      (principal) => {
        request.principal = principal;
        next();
      },
      (error: Error) => next(error),
    );
  };
}
