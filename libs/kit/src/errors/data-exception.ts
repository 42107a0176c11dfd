import { commonError, type DomainError } from './domain-error.ts';

/**
 * PostgreSQL's SQLSTATE of a failed query (pg puts it in `code`, and MikroORM's DriverException
 * copies it), or undefined for any other error.
 */
export function sqlStateOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * The last line of defence of DESIGN rule 5: a value the contracts let through but PostgreSQL
 * refuses (SQLSTATE class 22, "data exception": bad encoding, out-of-range number or date, …) is
 * the caller's bad input, so a 400 INVALID_VALUE, not a 500. Returns undefined for other errors.
 */
export function dataExceptionAsBadRequest(error: unknown): DomainError | undefined {
  const sqlState = sqlStateOf(error);
  if (!sqlState?.startsWith('22')) return undefined;
  return commonError('INVALID_VALUE', { details: { sqlState } });
}
