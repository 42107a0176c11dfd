import moleculer from 'moleculer';
import { httpStatusOfErrorKind, type ErrorKind, type FieldIssue } from '@portal/contracts';

const { MoleculerError } = moleculer.Errors;

/**
 * The one error type services throw for anything a caller can act on. Moleculer's numeric `code`
 * is the HTTP status and `type` the stable string code, so the gateway maps it in one place and
 * the error survives the NATS hop intact (see `DomainErrorRegenerator`).
 */
export class DomainError extends MoleculerError {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, code: string, message: string, details?: unknown) {
    super(message, httpStatusOfErrorKind(kind), code, details);
    this.name = 'DomainError';
    this.kind = kind;
    this.retryable = kind === 'unavailable';
  }

  get details(): unknown {
    return this.data;
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new DomainError('bad_request', code, message, details);
export const notFound = (code: string, message: string, details?: unknown) =>
  new DomainError('not_found', code, message, details);
export const conflict = (code: string, message: string, details?: unknown) =>
  new DomainError('conflict', code, message, details);
export const ruleViolation = (code: string, message: string, details?: unknown) =>
  new DomainError('rule_violation', code, message, details);
export const forbidden = (code: string, message: string, details?: unknown) =>
  new DomainError('forbidden', code, message, details);
export const unavailable = (code: string, message: string, details?: unknown) =>
  new DomainError('unavailable', code, message, details);

/** Turns zod issues into the `details` of a `VALIDATION_FAILED` error: one entry per bad field. */
export function validationFailed(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  message = 'The request is not valid.',
): DomainError {
  const details: FieldIssue[] = issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return new DomainError('bad_request', 'VALIDATION_FAILED', message, details);
}
