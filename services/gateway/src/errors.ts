import { commonErrorCodes, type StaffPermission } from '@portal/contracts';
import { DomainError } from '@portal/kit';

/** Why a request was not authenticated; decides the `WWW-Authenticate` challenge. */
export type UnauthenticatedReason = 'missing_token' | 'invalid_token';

export const unauthenticated = (reason: UnauthenticatedReason) =>
  new DomainError(
    'unauthenticated',
    commonErrorCodes.unauthenticated,
    reason === 'missing_token'
      ? 'A bearer access token is required.'
      : 'The bearer access token is invalid or has expired.',
    { reason },
  );

export const lacksPermission = (requiredPermission: StaffPermission) =>
  new DomainError('forbidden', commonErrorCodes.forbidden, 'Your role does not allow this request.', {
    requiredPermission,
  });

export const rateLimited = (retryAfterSeconds: number) =>
  new DomainError('rate_limited', commonErrorCodes.rateLimited, 'Too many requests; try again later.', {
    retryAfterSeconds,
  });

export const payloadTooLarge = (limitBytes: number) =>
  new DomainError('payload_too_large', commonErrorCodes.payloadTooLarge, 'The request body is too large.', {
    limitBytes,
  });

export const unsupportedMediaType = (expected: string) =>
  new DomainError(
    'unsupported_media_type',
    commonErrorCodes.unsupportedMediaType,
    `The request body must be sent as ${expected}.`,
    { expected },
  );

export const invalidJson = () =>
  new DomainError('bad_request', commonErrorCodes.invalidJson, 'The request body is not valid JSON.');

export const invalidBody = () =>
  new DomainError('bad_request', commonErrorCodes.invalidBody, 'The request body must be a JSON object.');

export const identityProviderUnavailable = () =>
  new DomainError(
    'unavailable',
    commonErrorCodes.dependencyUnavailable,
    'Sign-in cannot be checked right now; try again shortly.',
  );
