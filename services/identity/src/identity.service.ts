import type moleculer from 'moleculer';
import { statusActionOf, type DurableStatus, type ReadinessCheck } from '@portal/kit';
import { serviceVersion } from './version.ts';

/** Everything in Keycloak: portal users, invitations, MFA, sessions, revocation (filled in by the identity issue). */
export function identityService(
  readiness: Record<string, ReadinessCheck>,
  durableStatus?: () => Promise<DurableStatus>,
): moleculer.ServiceSchema {
  return {
    name: 'identity',
    actions: {
      status: statusActionOf('identity', readiness, serviceVersion, durableStatus),
    },
  };
}
