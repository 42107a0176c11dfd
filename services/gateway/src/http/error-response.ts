import moleculer from 'moleculer';
import type { ErrorBody } from '@portal/contracts';
import { commonError, DomainError } from '@portal/kit';
import { gatewayError } from '../errors.ts';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** Headers the status calls for: `WWW-Authenticate` on 401, `Allow` on 405, `Retry-After` on 429. */
  headers?: Record<string, string>;
}

const { MoleculerError, ServiceNotFoundError, ServiceNotAvailableError, RequestTimeoutError } = moleculer.Errors;

const numberIn = (details: unknown, key: string): number | undefined => {
  const value = typeof details === 'object' && details !== null ? (details as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

function headersOf(error: DomainError): Record<string, string> | undefined {
  if (error.kind === 'unauthenticated') {
    const reason = (error.details as { reason?: unknown } | undefined)?.reason;
    return { 'www-authenticate': reason === 'invalid_token' ? 'Bearer error="invalid_token"' : 'Bearer' };
  }
  if (error.kind === 'method_not_allowed') {
    const allow = (error.details as { allow?: unknown } | undefined)?.allow;
    return Array.isArray(allow) ? { allow: allow.map(String).join(', ') } : undefined;
  }
  if (error.kind === 'rate_limited') {
    return { 'retry-after': String(Math.max(1, Math.ceil(numberIn(error.details, 'retryAfterSeconds') ?? 1))) };
  }
  return undefined;
}

/**
 * The one place errors become HTTP. Domain errors keep their status and stable code (5xx ones lose
 * their details); transport failures are a 503; whatever else escapes is a 500 whose body says
 * nothing about internals.
 */
export function toErrorResponse(error: unknown, requestId: string): ErrorResponse {
  const domainError = asDomainError(error);
  const { code: status, type: code, message, details } = domainError;
  const body: ErrorBody = {
    error: details === undefined || status >= 500 ? { code, message } : { code, message, details },
    requestId,
  };
  const headers = headersOf(domainError);
  return headers ? { status, body, headers } : { status, body };
}

function asDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (
    error instanceof ServiceNotFoundError ||
    error instanceof ServiceNotAvailableError ||
    error instanceof RequestTimeoutError
  ) {
    return commonError('DEPENDENCY_UNAVAILABLE');
  }
  // moleculer-web's own client errors (unknown route, its body limits).
  if (error instanceof MoleculerError && error.code >= 400 && error.code < 500) {
    if (error.code === 404) return commonError('NOT_FOUND');
    if (error.code === 413) return gatewayError('PAYLOAD_TOO_LARGE');
    return gatewayError('BAD_REQUEST');
  }
  return commonError('INTERNAL');
}
