/** One answer of the REST API, parsed when it is JSON. */
export interface ApiAnswer<Body = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: Body;
  text: string;
}

export interface ApiRequestOptions {
  /** A string is sent as is (CSV, hand-written JSON); anything else as JSON. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface AnsweredRequest {
  method: string;
  /** The path as sent, without the query string. */
  path: string;
  status: number;
  /** The error body's stable code, when the answer was an error. */
  code?: string;
}

export interface ApiClient {
  request<Body = Record<string, unknown>>(
    method: string,
    path: string,
    options?: ApiRequestOptions,
  ): Promise<ApiAnswer<Body>>;
  /** Every request made so far, so a suite can assert that none was a 5xx or an undocumented error. */
  readonly answered: readonly AnsweredRequest[];
}

/**
 * The small client every API test uses: `path` is relative to `/api/v1`, the bearer token comes
 * from `token()` at each call (so a refreshed token is picked up), and no answer is thrown away.
 */
export function apiClient(baseUrl: string, token?: () => string): ApiClient {
  const answered: AnsweredRequest[] = [];
  return {
    answered,
    async request<Body>(method: string, path: string, options: ApiRequestOptions = {}) {
      const { body } = options;
      const isText = typeof body === 'string';
      const response = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token()}` } : {}),
          ...(body === undefined
            ? {}
            : { 'content-type': options.contentType ?? (isText ? 'text/csv' : 'application/json') }),
          ...options.headers,
        },
        ...(body === undefined ? {} : { body: isText ? body : JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      let parsed = {} as Body;
      try {
        parsed = JSON.parse(text) as Body;
      } catch {
        // CSV and empty bodies stay in `text`
      }
      const code = (parsed as { error?: { code?: unknown } }).error?.code;
      answered.push({
        method,
        path: path.split('?')[0] ?? path,
        status: response.status,
        ...(typeof code === 'string' ? { code } : {}),
      });
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
  };
}
