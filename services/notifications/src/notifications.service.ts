import type moleculer from 'moleculer';
import { statusActionOf, type DurableStatus, type ReadinessCheck } from '@portal/kit';
import { serviceVersion } from './version.ts';

/** The in-app bell and e-mail from Handlebars templates (preferences and digests come later). */
export function notificationsService(
  readiness: Record<string, ReadinessCheck>,
  durableStatus?: () => Promise<DurableStatus>,
  bellActions: Record<string, moleculer.ActionSchema> = {},
): moleculer.ServiceSchema {
  return {
    name: 'notifications',
    actions: {
      status: statusActionOf('notifications', readiness, serviceVersion, durableStatus),
      ...bellActions,
    },
  };
}
