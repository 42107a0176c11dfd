import { defineErrorTable } from '../errors.ts';

/** What the gateway answers before (or instead of) calling a service: the HTTP edge of the API. */
export const gatewayErrors = defineErrorTable({
  UNAUTHENTICATED: { kind: 'unauthenticated', message: 'A valid bearer access token is required.' },
  FORBIDDEN: { kind: 'forbidden', message: 'Your role does not allow this request.' },
  PORTAL_ACCESS_DISABLED: {
    kind: 'forbidden',
    message: 'This login has no enabled portal access; ask your supplier to enable it.',
  },
  CSRF_REFUSED: {
    kind: 'forbidden',
    message:
      'A request signed in by the web session cookie must come from the portal itself (same origin, with the X-Requested-By header).',
  },
  METHOD_NOT_ALLOWED: { kind: 'method_not_allowed', message: 'This resource does not answer this method.' },
  INVALID_PATH: { kind: 'bad_request', message: 'The request path is not correctly encoded.' },
  INVALID_JSON: { kind: 'bad_request', message: 'The request body is not valid JSON.' },
  INVALID_BODY: { kind: 'bad_request', message: 'The request body must be a JSON object.' },
  BAD_REQUEST: { kind: 'bad_request', message: 'The request could not be understood.' },
  PAYLOAD_TOO_LARGE: { kind: 'payload_too_large', message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: {
    kind: 'unsupported_media_type',
    message: 'The request body has an unsupported media type.',
  },
  RATE_LIMITED: { kind: 'rate_limited', message: 'Too many requests; try again later.' },
});
export type GatewayErrorCode = keyof typeof gatewayErrors;
