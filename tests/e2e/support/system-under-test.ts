import type { ServiceName } from '@portal/contracts';
import { stackEnv } from '@portal/testing';
import { devAccessToken, type DevLoginKey } from '@portal/deploy/local/dev-logins';
import { startServiceSystem, type ServiceSystem } from '../../support/service-system.ts';

export type SystemUnderTest = ServiceSystem;

/**
 * Starts the named services as real processes in their own Moleculer namespace (so suites do not
 * see each other's nodes), waits until each is ready and the gateway sees them, and returns the
 * gateway's URL. Connection settings come from the running stack unless overridden.
 */
export function startServices(
  services: readonly ServiceName[],
  overrides: Record<string, string> = {},
): Promise<SystemUnderTest> {
  return startServiceSystem({ stack: stackEnv(), entries: services, namespacePrefix: 'e2e', env: overrides });
}

/** A real access token for a seeded login, by the password grant of the dev-only `portal-cli` client. */
export function tokenFor(login: DevLoginKey): Promise<string> {
  return devAccessToken(stackEnv().KEYCLOAK_URL ?? '', login);
}
