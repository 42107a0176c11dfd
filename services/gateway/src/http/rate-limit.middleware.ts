import type { ServerResponse } from 'node:http';
import { rateLimited } from '../errors.ts';
import { rateLimitKeyOf, type RequestWithClientAddress } from './client-address.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** The anonymous bucket of a request: its IPv4 address or its IPv6 /64. */
export const clientBucketOf = (request: RequestWithClientAddress) => `ip:${rateLimitKeyOf(request.clientAddress)}`;

/** Charges one request to the client's address; throws 429 when its bucket is empty. */
export function chargeClientAddress(request: RequestWithClientAddress, limiter: RateLimiter): void {
  const decision = limiter.take(clientBucketOf(request));
  if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
}

/** Public routes (and unknown ones) have no principal: they are limited per client address. */
export function anonymousRateLimit(limiter: RateLimiter) {
  return (request: RequestWithClientAddress, _response: ServerResponse, next: (error?: Error) => void): void => {
    try {
      chargeClientAddress(request, limiter);
      next();
    } catch (error) {
      next(error as Error);
    }
  };
}
