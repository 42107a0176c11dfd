import { z } from 'zod';
import type { HttpBinding } from '@portal/contracts';
import { commonError, validationFailed } from '@portal/kit';
import { gatewayError } from '../errors.ts';

/** `/api/v1` + a binding path: the URL template every contract route lives under. */
export const apiPrefix = '/api/v1';

/** The `:name` parameters of a binding path, in order. */
export function pathParamNames(path: string): string[] {
  return path
    .split('/')
    .filter((segment) => segment.startsWith(':'))
    .map((segment) => segment.slice(1));
}

/** Path parameters of `pathname` under `template` (`/admin/accounts/:accountId`), decoded. */
export function matchPathParams(template: string, pathname: string): Record<string, string> {
  const expected = template.split('/');
  const actual = pathname.replace(/\/+$/, '').split('/');
  if (expected.length !== actual.length) throw commonError('NOT_FOUND');
  const params: Record<string, string> = {};
  expected.forEach((segment, index) => {
    const value = actual[index] ?? '';
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(value);
      } catch {
        throw gatewayError('INVALID_PATH');
      }
    } else if (segment !== value) {
      throw commonError('NOT_FOUND');
    }
  });
  return params;
}

/** Query parameters as single strings; a key given twice is refused rather than guessed at. */
export function queryParamsOf(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const [key, value] of new URLSearchParams(search)) {
    if (Object.hasOwn(query, key)) repeated.add(key);
    query[key] = value;
  }
  if (repeated.size > 0) {
    throw validationFailed(
      [...repeated].map((key) => ({ path: [key], message: 'Given more than once; send a single value.' })),
      'A query parameter was repeated.',
    );
  }
  return query;
}

export const readsQuery = (method: HttpBinding['method']) => method === 'GET' || method === 'DELETE';

/**
 * An action's params from one request: the query string (GET, DELETE) or the JSON body (POST,
 * PUT, PATCH), then the path parameters on top, so a body can never redirect a call to another id.
 */
export function assembleParams(
  binding: Pick<HttpBinding, 'method' | 'path'>,
  request: { pathname: string; search: string; body: Record<string, unknown> },
): Record<string, unknown> {
  const pathParams = matchPathParams(`${apiPrefix}${binding.path}`, request.pathname);
  const base = readsQuery(binding.method) ? queryParamsOf(request.search) : request.body;
  return { ...base, ...pathParams };
}

/**
 * Body fields the action does not declare. zod would drop them silently, so a typo (`"nmae"`)
 * would look like success; the API refuses them instead, as its OpenAPI document says
 * (`additionalProperties: false`). Query strings are left lenient: proxies and tools add keys.
 */
export function refuseUnknownBodyFields(params: z.ZodType, body: Record<string, unknown>): void {
  if (!(params instanceof z.ZodObject)) return;
  const known = new Set(Object.keys(params.shape));
  const unknown = Object.keys(body).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw validationFailed(
      unknown.map((key) => ({ path: [key], message: 'Not a field of this request.' })),
      'The request body has fields this request does not take.',
    );
  }
}
