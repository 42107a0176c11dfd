import { describe, expect, it } from 'vitest';
import { gatewayModule } from '../../src/gateway.module.ts';

describe('gateway environment', () => {
  const given = {
    KEYCLOAK_URL: 'http://keycloak:8080',
    GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, 2001:db8::/32',
    GATEWAY_STATUS_CACHE_SECONDS: '2',
    GATEWAY_RATE_LIMIT_PER_MINUTE: '30',
  };

  it('fills defaults and reads the limits', () => {
    expect(gatewayModule.env.parse({ KEYCLOAK_URL: 'http://keycloak:8080' })).toMatchObject({
      GATEWAY_BODY_LIMIT: '1mb',
      GATEWAY_CSV_BODY_LIMIT: '50mb',
      GATEWAY_TRUSTED_PROXIES: '',
      GATEWAY_STATUS_CACHE_SECONDS: 5,
      GATEWAY_RATE_LIMIT_PER_MINUTE: 600,
      GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: 60,
    });
    expect(() => gatewayModule.env.parse({})).toThrow(/KEYCLOAK_URL/);
  });

  it('parses its own output again unchanged (the process parses once, then each module)', () => {
    const once = gatewayModule.env.parse(given);
    expect(gatewayModule.env.parse(once)).toEqual(once);
  });
});
