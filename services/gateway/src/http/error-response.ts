import moleculer from 'moleculer';
import { commonErrorCodes, type ErrorBody } from '@portal/contracts';
import { DomainError } from '@portal/kit';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

const { MoleculerError, ServiceNotFoundError, ServiceNotAvailableError, RequestTimeoutError } = moleculer.Errors;

/**
 * The one place errors become HTTP. Domain errors keep their status and stable code; transport
 * failures are a 503; whatever else escapes is a 500 whose body says nothing about internals.
 */
export function toErrorResponse(error: unknown, requestId: string): ErrorResponse {
  const respond = (status: number, code: string, message: string, details?: unknown): ErrorResponse => ({
    status,
    body: { error: details === undefined ? { code, message } : { code, message, details }, requestId },
  });

  if (error instanceof DomainError) return respond(error.code, error.type, error.message, error.details);
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
  // moleculer-web's own client errors (unknown route, bad JSON body, body too large).
  if (error instanceof MoleculerError && error.code >= 400 && error.code < 500) {
    if (error.code === 404) return respond(404, commonErrorCodes.notFound, 'No such resource.');
    if (error.code === 413) return respond(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
    return respond(error.code, 'BAD_REQUEST', 'The request could not be understood.');
  }
  return respond(500, commonErrorCodes.internal, 'Something went wrong on our side.');
}
