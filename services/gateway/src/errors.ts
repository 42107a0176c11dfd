import { gatewayErrors, type StaffPermission } from '@portal/contracts';
import { commonError, errorFactoryOf } from '@portal/kit';

/** The gateway's errors, by code: the kind and default message come from its error table. */
export const gatewayError = errorFactoryOf(gatewayErrors);

/** Why a request was not authenticated; decides the `WWW-Authenticate` challenge. */
export type UnauthenticatedReason = 'missing_token' | 'invalid_token';

export const unauthenticated = (reason: UnauthenticatedReason) =>
  gatewayError('UNAUTHENTICATED', {
    message:
      reason === 'missing_token'
        ? 'A bearer access token is required.'
        : 'The bearer access token is invalid or has expired.',
    details: { reason },
  });

export const lacksPermission = (requiredPermission: StaffPermission) =>
  gatewayError('FORBIDDEN', { details: { requiredPermission } });

export const rateLimited = (retryAfterSeconds: number) =>
  gatewayError('RATE_LIMITED', { details: { retryAfterSeconds } });

export const payloadTooLarge = (limitBytes: number) => gatewayError('PAYLOAD_TOO_LARGE', { details: { limitBytes } });

export const unsupportedMediaType = (expected: string) =>
  gatewayError('UNSUPPORTED_MEDIA_TYPE', {
    message: `The request body must be sent as ${expected}.`,
    details: { expected },
  });

export const identityProviderUnavailable = () =>
  commonError('DEPENDENCY_UNAVAILABLE', { message: 'Sign-in cannot be checked right now; try again shortly.' });
