import moleculer from 'moleculer';
import { describe, expect, it } from 'vitest';
import { notFound, unavailable } from '@portal/kit';
import { toErrorResponse } from '../../src/http/error-response.ts';

describe('toErrorResponse', () => {
  it('keeps a domain error’s status, code and details', () => {
    expect(toErrorResponse(notFound('ACCOUNT_NOT_FOUND', 'No such account.', { id: 'a1' }), 'req-1')).toEqual({
      status: 404,
      body: {
        error: { code: 'ACCOUNT_NOT_FOUND', message: 'No such account.', details: { id: 'a1' } },
        requestId: 'req-1',
      },
    });
    expect(toErrorResponse(unavailable('KEYCLOAK_DOWN', 'Login is unavailable.'), 'req-2').status).toBe(503);
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
});
