import moleculer from 'moleculer';
import { commonErrorCodes, type ErrorBody } from '@portal/contracts';
import { DomainError } from '@portal/kit';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** Headers the status calls for: `WWW-Authenticate` on 401, `Retry-After` on 429. */
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
  const respond = (status: number, code: string, message: string, details?: unknown): ErrorResponse => ({
    status,
    body: { error: details === undefined ? { code, message } : { code, message, details }, requestId },
  });

  if (error instanceof DomainError) {
    const response = respond(error.code, error.type, error.message, error.code >= 500 ? undefined : error.details);
    const headers = headersOf(error);
    return headers ? { ...response, headers } : response;
  }
  if (
    error instanceof ServiceNotFoundError ||
    error instanceof ServiceNotAvailableError ||
    error instanceof RequestTimeoutError
  ) {
    return respond(
      503,
      commonErrorCodes.dependencyUnavailable,
      'A required service is not available; try again shortly.',
    );
  }
  // moleculer-web's own client errors (unknown route, its rate limiter).
  if (error instanceof MoleculerError && error.code >= 400 && error.code < 500) {
    if (error.code === 404) return respond(404, commonErrorCodes.notFound, 'No such resource.');
    if (error.code === 413) return respond(413, commonErrorCodes.payloadTooLarge, 'The request body is too large.');
    return respond(error.code, 'BAD_REQUEST', 'The request could not be understood.');
  }
  return respond(500, commonErrorCodes.internal, 'Something went wrong on our side.');
}
