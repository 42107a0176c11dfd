import { z } from 'zod';

/**
 * The kinds of failure every service may report. Each maps to exactly one HTTP status
 * (see `httpStatusOfErrorKind`); services add their own stable codes within a kind.
 */
export const errorKinds = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'rule_violation',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type ErrorKind = (typeof errorKinds)[number];

export function httpStatusOfErrorKind(kind: ErrorKind): number {
  switch (kind) {
    case 'bad_request':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'conflict':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rule_violation':
      return 422;
    case 'rate_limited':
      return 429;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}

/** What one stable error code means: its kind (hence its HTTP status) and its default message. */
export interface ErrorSpec {
  readonly kind: ErrorKind;
  readonly message: string;
}

/**
 * A service's error table: every stable code it can answer, declared once. Throw sites name the
 * code (`directoryError('ACCOUNT_NOT_FOUND')`), never the kind, so a code cannot mean two statuses.
 */
export type ErrorTable = Readonly<Record<string, ErrorSpec>>;

export function defineErrorTable<const T extends Record<string, ErrorSpec>>(table: T): T {
  return table;
}

/** Codes any service may answer: request validation, paging, data the database refuses, outages. */
export const commonErrors = defineErrorTable({
  VALIDATION_FAILED: { kind: 'bad_request', message: 'The request is not valid.' },
  INVALID_CURSOR: { kind: 'bad_request', message: 'The cursor is not valid for this list; start again without it.' },
  INVALID_VALUE: { kind: 'bad_request', message: 'A value in the request cannot be stored as given.' },
  NOT_FOUND: { kind: 'not_found', message: 'No such resource.' },
  DEPENDENCY_UNAVAILABLE: { kind: 'unavailable', message: 'A required service is not available; try again shortly.' },
  INTERNAL: { kind: 'internal', message: 'Something went wrong on our side.' },
});
export type CommonErrorCode = keyof typeof commonErrors;

export const fieldIssueSchema = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/** The HTTP error body: `{ "error": { code, message, details? }, requestId }`. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
  requestId: z.string(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
