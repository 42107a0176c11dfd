import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StaffPermission } from '@portal/contracts';
import { DomainError } from '@portal/kit';
import type { TokenVerifier } from '../adapters/staff-token.verifier.ts';
import { rateLimited, unauthenticated } from '../errors.ts';
import type { RequestWithClientAddress } from '../http/client-address.ts';
import { chargeClientAddress } from '../http/rate-limit.middleware.ts';
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
 * paths answer 401 to strangers, not 404). A request without a valid token is charged to its
 * client address (429 takes over once that is spent), one with a valid token to its principal.
 */
export async function authenticateStaff(request: StaffRequest, deps: StaffAuthDependencies): Promise<StaffPrincipal> {
  const token = bearerTokenOf(request);
  if (!token) {
    chargeClientAddress(request, deps.anonymousLimiter);
    throw unauthenticated('missing_token');
  }
  let verified;
  try {
    verified = await deps.verifier.verify(token);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'unauthenticated') {
      chargeClientAddress(request, deps.anonymousLimiter);
    }
    throw error;
  }
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
