import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { contractAliases } from '../../src/http/contract-routes.builder.ts';
import { methodGuard, methodTableOf } from '../../src/http/method-guard.ts';

const staffAliases = contractAliases('staff', {
  jsonBodyLimitBytes: 1,
  csvBodyLimitBytes: 1,
  csvCallTimeoutMs: 1,
  authorize: () => ({ kind: 'staff', userId: 'x' }),
});
const staff = methodTableOf('/api/v1/admin', staffAliases);
const id = '6b1f8a2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

describe('method table', () => {
  it('lists every method a contract path answers, from the same aliases the router uses', () => {
    expect(staff.allowedMethods(`/api/v1/admin/accounts/${id}`)).toEqual(['DELETE', 'GET', 'PATCH']);
    expect(staff.allowedMethods('/api/v1/admin/accounts')).toEqual(['GET', 'POST']);
    expect(staff.allowedMethods('/api/v1/admin/system-options')).toEqual(['GET', 'PUT']);
  });

  it('matches like moleculer-web: literal segments ignore case, a parameter is one segment', () => {
    expect(staff.allowedMethods('/api/v1/admin/Accounts')).toEqual(['GET', 'POST']);
    expect(staff.allowedMethods(`/api/v1/admin/accounts/${id}/nothing`)).toBeNull();
    expect(staff.allowedMethods('/api/v1/admin/nothing-here')).toBeNull();
  });

  it('lets the most specific template name the resource when a literal sits beside a parameter', () => {
    const table = methodTableOf('/api', {
      'GET /contacts/export': 1,
      'PATCH /contacts/:id': 1,
      'GET /contacts/:id': 1,
      'POST /contacts/:id/notes': 1,
      'DELETE /contacts/export/:format': 1,
    });
    // Found by the fuzzer: PATCH /contacts/export was taken for a contact whose id is "export".
    expect(table.allowedMethods('/api/contacts/export')).toEqual(['GET']);
    expect(table.allowedMethods('/api/contacts/c-1')).toEqual(['GET', 'PATCH']);
    expect(table.allowedMethods('/api/contacts/export/notes')).toEqual(['DELETE']);
    expect(table.allowedMethods('/api/contacts/c-1/notes')).toEqual(['POST']);
  });
});

describe('method guard', () => {
  const run = (method: string, pathname: string) => {
    const headers: Record<string, string> = {};
    const response = {
      statusCode: 200,
      ended: false,
      setHeader: (name: string, value: string) => (headers[name] = value),
      end() {
        response.ended = true;
      },
    };
    let passed: Error | undefined | 'not called' = 'not called';
    methodGuard(staff)(
      { method, parsedUrl: pathname } as unknown as IncomingMessage,
      response as unknown as ServerResponse,
      (error) => (passed = error),
    );
    return { passed, status: response.statusCode, ended: response.ended, headers };
  };

  it('passes an allowed method and an unknown path on', () => {
    expect(run('GET', '/api/v1/admin/accounts').passed).toBeUndefined();
    expect(run('DELETE', '/api/v1/admin/nothing').passed).toBeUndefined();
  });

  it('refuses a wrong method with 405 METHOD_NOT_ALLOWED naming the allowed ones', () => {
    const { passed } = run('PUT', `/api/v1/admin/accounts/${id}`);
    expect(passed).toMatchObject({
      code: 405,
      type: 'METHOD_NOT_ALLOWED',
      data: { allow: ['DELETE', 'GET', 'PATCH', 'OPTIONS'] },
    });
    expect(run('HEAD', '/api/v1/admin/accounts').passed).toMatchObject({ code: 405 });
  });

  it('answers OPTIONS itself with 204 and Allow, never passing it on to an action', () => {
    const answer = run('OPTIONS', `/api/v1/admin/accounts/${id}`);
    expect(answer).toMatchObject({ passed: 'not called', status: 204, ended: true });
    expect(answer.headers.allow).toBe('DELETE, GET, PATCH, OPTIONS');
  });
});
