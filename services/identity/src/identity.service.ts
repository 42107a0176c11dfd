import type moleculer from 'moleculer';
import { statusActionOf, type DurableStatus, type ReadinessCheck } from '@portal/kit';
import type { SelfService } from './self-service/self-service.ts';
import { serviceVersion } from './version.ts';

/** Everything in Keycloak: portal users, invitations, MFA, sessions, revocation, self-service. */
export function identityService(
  readiness: Record<string, ReadinessCheck>,
  durableStatus?: () => Promise<DurableStatus>,
  selfService?: SelfService,
  accessActions: Record<string, moleculer.ActionSchema> = {},
): moleculer.ServiceSchema {
  return {
    name: 'identity',
    actions: {
      status: statusActionOf('identity', readiness, serviceVersion, durableStatus),
      ...selfService?.actions,
      ...accessActions,
    },
    started(this: moleculer.Service) {
      selfService?.start(this.broker, this.logger);
    },
    async stopped() {
      await selfService?.stop();
    },
  };
}
