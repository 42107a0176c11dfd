import moleculer from 'moleculer';
import {
  commonErrors,
  httpStatusOfErrorKind,
  type ErrorKind,
  type ErrorTable,
  type FieldIssue,
} from '@portal/contracts';

const { MoleculerError } = moleculer.Errors;

/**
 * The one error type services throw for anything a caller can act on. Moleculer's numeric `code`
 * is the HTTP status and `type` the stable string code, so the gateway maps it in one place and
 * the error survives the NATS hop intact (see `DomainErrorRegenerator`). Build one through a
 * service's error factory (`errorFactoryOf(table)`), which takes the kind from the table.
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

export interface DomainErrorOptions {
  /** A more specific message than the table's default (same meaning, more context). */
  message?: string;
  details?: unknown;
}

/**
 * A service's way to throw: `const directoryError = errorFactoryOf(directoryErrors)`, then
 * `throw directoryError('ACCOUNT_NOT_FOUND')`. The code decides kind and status.
 */
export function errorFactoryOf<T extends ErrorTable>(table: T) {
  return (code: keyof T & string, options: DomainErrorOptions = {}): DomainError => {
    const spec = table[code];
    if (!spec) throw new Error(`Error code ${code} is not in this error table.`);
    return new DomainError(spec.kind, code, options.message ?? spec.message, options.details);
  };
}

/** Errors of the common table: validation, cursors, refused values, outages. */
export const commonError = errorFactoryOf(commonErrors);

/** Turns zod issues into the `details` of a `VALIDATION_FAILED` error: one entry per bad field. */
export function validationFailed(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  message?: string,
): DomainError {
  const details: FieldIssue[] = issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return commonError('VALIDATION_FAILED', { ...(message ? { message } : {}), details });
}
