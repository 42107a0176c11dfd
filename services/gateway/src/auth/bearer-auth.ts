import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenVerifier, VerifiedToken } from '../adapters/realm-token.verifier.ts';
import { rateLimited, unauthenticated } from '../errors.ts';
import type { RequestWithClientAddress } from '../http/client-address.ts';
import { chargeClientAddress, clientBucketOf } from '../http/rate-limit.middleware.ts';
import type { RateLimiter } from '../http/rate-limiter.ts';

/** The token of an `Authorization: Bearer …` header, or null when there is none. */
export function bearerTokenOf(request: IncomingMessage): string | null {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

export interface BearerAuthDependencies {
  /** The verifier of the route's realm: a token of the other realm fails it (401). */
  verifier: TokenVerifier;
  /** Per realm and token `sub`, once authenticated. */
  principalLimiter: RateLimiter;
  /** Per client address, for requests that do not authenticate. */
  anonymousLimiter: RateLimiter;
}

/**
 * Authenticates a request of a token-protected route (staff or portal) before anything else
 * happens. Every request is first charged to its client address, before any token work (signature
 * check, key fetch): a flood of bad tokens from one address is refused with 429 once that budget is
 * spent, without verifying each. A token that verifies gets its charge back and is charged to its
 * principal instead, so signed-in users behind one address do not share the anonymous budget
 * (though they do meet its 429 while their address is flooding).
 */
export async function authenticateBearer(
  request: RequestWithClientAddress,
  deps: BearerAuthDependencies,
): Promise<VerifiedToken> {
  chargeClientAddress(request, deps.anonymousLimiter);
  const token = bearerTokenOf(request);
  if (!token) throw unauthenticated('missing_token');
  const verified = await deps.verifier.verify(token);
  deps.anonymousLimiter.refund(clientBucketOf(request));
  const decision = deps.principalLimiter.take(`${verified.realm}:${verified.subject}`);
  if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
  return verified;
}

/** A route middleware around an authentication step: errors go to moleculer-web's error handler. */
export function authenticationMiddleware<R extends IncomingMessage>(authenticate: (request: R) => Promise<void>) {
  return (request: R, _response: ServerResponse, next: (error?: Error) => void): void => {
    authenticate(request).then(
      () => next(),
      (error: Error) => next(error),
    );
  };
}
