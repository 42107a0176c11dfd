import {
  actionContracts,
  webRequestHeader,
  type ActionName,
  type ActionParams,
  type ActionResult,
  type HttpBinding,
} from '@portal/contracts';
import { ApiError, apiErrorOf } from './api-error.ts';

/** Where the gateway serves the API; also the prefix of its non-action routes (the bell stream). */
export const apiPrefix = '/api/v1';

/** Who to tell when the session is gone (401): the app sends the person to sign in again. */
let onSessionEnded: () => void = () => undefined;
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

function bindingOf(action: ActionName): HttpBinding {
  const binding = (actionContracts[action] as { http?: HttpBinding }).http;
  if (!binding) throw new Error(`${action} is not exposed over HTTP`);
  return binding;
}

/** The request for an action, the way the gateway reads it back: path params, then query or JSON body. */
export function requestOf(action: ActionName, params: Record<string, unknown>): { url: string; init: RequestInit } {
  const binding = bindingOf(action);
  const rest: Record<string, unknown> = { ...params };
  const path = binding.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = rest[name];
    if (value === undefined || value === null || value === '')
      throw new Error(`${action}: missing path parameter ${name}`);
    delete rest[name];
    return encodeURIComponent(String(value));
  });
  const readsQuery = binding.method === 'GET' || binding.method === 'DELETE';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (binding.method !== 'GET') headers[webRequestHeader.name] = webRequestHeader.value;
  if (readsQuery) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(rest)) {
      if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
    }
    const search = query.size > 0 ? `?${query}` : '';
    return {
      url: `${apiPrefix}${path}${search}`,
      init: { method: binding.method, headers, credentials: 'same-origin' },
    };
  }
  headers['content-type'] = 'application/json';
  return {
    url: `${apiPrefix}${path}`,
    init: { method: binding.method, headers, credentials: 'same-origin', body: JSON.stringify(rest) },
  };
}

/** Reads an answer: 2xx JSON checked against the action's result schema, else an ApiError. */
async function resultOf<A extends ActionName>(action: A, response: Response): Promise<ActionResult<A>> {
  if (!response.ok) {
    const error = await apiErrorOf(response);
    if (error.status === 401) onSessionEnded();
    throw error;
  }
  const parsed = actionContracts[action].result.safeParse(await response.json());
  if (!parsed.success) {
    throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', 'The server answered in an unexpected shape.', null);
  }
  return parsed.data as ActionResult<A>;
}

/** Calls an action over the gateway with the session cookie; typed by the same contracts the gateway routes from. */
export async function callAction<A extends ActionName>(
  action: A,
  params: ActionParams<A>,
  signal?: AbortSignal,
): Promise<ActionResult<A>> {
  const { url, init } = requestOf(action, params as Record<string, unknown>);
  return resultOf(action, await fetch(url, { ...init, ...(signal ? { signal } : {}) }));
}

/** Sends a CSV file as the body of a CSV-bound action (imports), with its path params. */
export async function uploadCsv<A extends ActionName>(
  action: A,
  pathParams: Record<string, string>,
  file: Blob,
): Promise<ActionResult<A>> {
  const { url, init } = requestOf(action, pathParams);
  const headers = { ...(init.headers as Record<string, string>), 'content-type': 'text/csv' };
  return resultOf(action, await fetch(url, { ...init, headers, body: file }));
}

/** The address of a GET action, for a download link (the browser sends the session cookie itself). */
export function downloadUrlOf<A extends ActionName>(action: A, params: ActionParams<A>): string {
  return requestOf(action, params as Record<string, unknown>).url;
}
