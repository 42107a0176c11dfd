import type moleculer from 'moleculer';
import { statusActionOf, type DurableStatus, type ReadinessCheck } from '@portal/kit';
import type { SelfService } from './self-service/self-service.ts';
import { serviceVersion } from './version.ts';

/** Everything in Keycloak: portal users, invitations, MFA, sessions, revocation (filled in by the identity issue). */
export function identityService(
  readiness: Record<string, ReadinessCheck>,
  durableStatus?: () => Promise<DurableStatus>,
  selfService?: SelfService,
): moleculer.ServiceSchema {
  return {
    name: 'identity',
    actions: {
      status: statusActionOf('identity', readiness, serviceVersion, durableStatus),
      ...selfService?.actions,
    },
    started(this: moleculer.Service) {
      selfService?.start(this.broker, this.logger);
    },
    async stopped() {
      await selfService?.stop();
    },
  };
}
