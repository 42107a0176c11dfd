import { describe, expect, it } from 'vitest';
import { gatewayModule } from '../../src/gateway.module.ts';

describe('gateway environment', () => {
  const required = {
    KEYCLOAK_URL: 'http://keycloak:8080',
    GATEWAY_DATABASE_URL: 'postgres://gateway:pw@db:5432/portal',
    GATEWAY_SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
    KEYCLOAK_GATEWAY_CLIENT_SECRET: 'client-secret',
  };
  const given = {
    ...required,
    GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, 2001:db8::/32',
    GATEWAY_STATUS_CACHE_SECONDS: '2',
    GATEWAY_RATE_LIMIT_PER_MINUTE: '30',
  };

  it('fills defaults and reads the limits', () => {
    expect(gatewayModule.env.parse(required)).toMatchObject({
      PORTAL_PUBLIC_URL: 'http://localhost:8080',
      GATEWAY_BODY_LIMIT: '1mb',
      GATEWAY_CSV_BODY_LIMIT: '50mb',
      GATEWAY_TRUSTED_PROXIES: '',
      GATEWAY_STATUS_CACHE_SECONDS: 5,
      GATEWAY_RATE_LIMIT_PER_MINUTE: 600,
      GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: 60,
    });
    expect(() => gatewayModule.env.parse({})).toThrow(/KEYCLOAK_URL/);
  });

  it('needs its database, a session secret of at least 32 characters and the client secret', () => {
    const problems = gatewayModule.env.safeParse({
      KEYCLOAK_URL: 'http://keycloak:8080',
      GATEWAY_SESSION_SECRET: 'short',
    });
    const keys = problems.error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(keys).toEqual(
      expect.arrayContaining(['GATEWAY_DATABASE_URL', 'GATEWAY_SESSION_SECRET', 'KEYCLOAK_GATEWAY_CLIENT_SECRET']),
    );
    // The refusal names the rule, never the value.
    expect(JSON.stringify(problems.error?.issues)).not.toContain('short');
  });

  it('parses its own output again unchanged (the process parses once, then each module)', () => {
    const once = gatewayModule.env.parse(given);
    expect(gatewayModule.env.parse(once)).toEqual(once);
  });
});
