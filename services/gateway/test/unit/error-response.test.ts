import moleculer from 'moleculer';
import { describe, expect, it } from 'vitest';
import { directoryErrors } from '@portal/contracts';
import { commonError, errorFactoryOf } from '@portal/kit';

const directoryError = errorFactoryOf(directoryErrors);
import { rateLimited, unauthenticated } from '../../src/errors.ts';
import { toErrorResponse } from '../../src/http/error-response.ts';

describe('toErrorResponse', () => {
  it('keeps a domain error’s status, code and details', () => {
    expect(toErrorResponse(directoryError('ACCOUNT_NOT_FOUND', { details: { id: 'a1' } }), 'req-1')).toEqual({
      status: 404,
      body: {
        error: { code: 'ACCOUNT_NOT_FOUND', message: 'No such account.', details: { id: 'a1' } },
        requestId: 'req-1',
      },
    });
    expect(toErrorResponse(commonError('DEPENDENCY_UNAVAILABLE'), 'req-2').status).toBe(503);
  });

  it('answers 503 when a service cannot be reached', () => {
    const response = toErrorResponse(
      new moleculer.Errors.ServiceNotAvailableError({ action: 'directory.status' }),
      'r',
    );
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it('hides the details of anything unexpected behind a generic 500', () => {
    const response = toErrorResponse(new Error('relation "directory.account" does not exist at /srv/app.ts:12'), 'r');
    expect(response).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side.' }, requestId: 'r' },
    });
  });

  it('challenges a 401 with WWW-Authenticate and tells a 429 when to come back', () => {
    expect(toErrorResponse(unauthenticated('missing_token'), 'r').headers).toEqual({ 'www-authenticate': 'Bearer' });
    expect(toErrorResponse(unauthenticated('invalid_token'), 'r')).toMatchObject({
      status: 401,
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      body: { error: { code: 'UNAUTHENTICATED' } },
    });
    expect(toErrorResponse(rateLimited(7), 'r')).toMatchObject({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { code: 'RATE_LIMITED' } },
    });
  });

  it('drops the details of a 5xx domain error', () => {
    const response = toErrorResponse(
      commonError('DEPENDENCY_UNAVAILABLE', { message: 'Login is unavailable.', details: { host: '10.0.0.3' } }),
      'r',
    );
    expect(response.body.error).toEqual({ code: 'DEPENDENCY_UNAVAILABLE', message: 'Login is unavailable.' });
  });
});
