import { expect } from 'vitest';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { apiClient } from '@portal/testing';

export type StaffLogin = 'staffAdmin' | 'staffManager';

/**
 * The staff API as a browser test arranges its data through it: each call with a fresh token of a
 * dev login (the admin unless told), and a refused call fails the test with the API's answer.
 * `gatewayUrl` is read at each call, since the test's system starts after the suite is declared.
 */
export function staffCaller(gatewayUrl: () => string, keycloakUrl: string) {
  return async function staffCall<Body>(
    method: string,
    path: string,
    body?: unknown,
    login: StaffLogin = 'staffAdmin',
  ): Promise<Body> {
    const token = await devAccessToken(keycloakUrl, login);
    const answer = await apiClient(gatewayUrl(), () => token).request<Body>(
      method,
      path,
      body === undefined ? {} : { body },
    );
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.body;
  };
}
