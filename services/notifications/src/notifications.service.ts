import type moleculer from 'moleculer';
import { statusActionOf, type DurableStatus, type ReadinessCheck } from '@portal/kit';
import { serviceVersion } from './version.ts';

/** The in-app bell, e-mail from Handlebars templates, preferences and digests (filled in by the notifications issue). */
export function notificationsService(
  readiness: Record<string, ReadinessCheck>,
  durableStatus?: () => Promise<DurableStatus>,
): moleculer.ServiceSchema {
  return {
    name: 'notifications',
    actions: {
      status: statusActionOf('notifications', readiness, serviceVersion, durableStatus),
    },
  };
}
