/** What the gateway answers on failure: `{ error: { code, message, details? }, requestId }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId?: string;
}

/** A failed API call, with the stable code, the API's own message and the request id to quote. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly details: unknown;
  /** From `Retry-After` (429, some 503s): how long to wait before asking again; null when not said. */
  readonly retryAfterSeconds: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    requestId: string | null,
    details?: unknown,
    retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Field problems of a 400 VALIDATION_FAILED, by dotted path, for a form to show beside its fields. */
  fieldErrors(): Record<string, string> {
    if (!Array.isArray(this.details)) return {};
    const errors: Record<string, string> = {};
    for (const detail of this.details as { path?: unknown; message?: unknown }[]) {
      if (typeof detail.message !== 'string') continue;
      // The gateway sends the dotted path (`codes.5.code`); an array of keys is read too.
      if (typeof detail.path === 'string' && detail.path !== '') errors[detail.path] = detail.message;
      else if (Array.isArray(detail.path)) errors[detail.path.join('.')] = detail.message;
    }
    return errors;
  }
}

/** `Retry-After` in seconds: the gateway sends a number; an HTTP date (a proxy's) is read too. */
export function retryAfterSecondsOf(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The error of a failed response: the API's envelope when there is one, else the status line. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const requestId = response.headers.get('x-request-id');
  const retryAfter = retryAfterSecondsOf(response.headers.get('retry-after'));
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (body.error && typeof body.error.code === 'string') {
      return new ApiError(
        response.status,
        body.error.code,
        body.error.message ?? response.statusText,
        body.requestId ?? requestId,
        body.error.details,
        retryAfter,
      );
    }
  } catch {
    // Not JSON: a proxy's page or an empty body; the status says what happened.
  }
  return new ApiError(
    response.status,
    `HTTP_${response.status}`,
    response.statusText || 'Request failed',
    requestId,
    undefined,
    retryAfter,
  );
}
