import type moleculer from 'moleculer';
import { statusActionOf, type ReadinessCheck } from '@portal/kit';
import { serviceVersion } from './version.ts';

/** The in-app bell, e-mail from Handlebars templates, preferences and digests (filled in by the notifications issue). */
export function notificationsService(readiness: Record<string, ReadinessCheck>): moleculer.ServiceSchema {
  return {
    name: 'notifications',
    actions: {
      status: statusActionOf('notifications', readiness, serviceVersion),
    },
  };
}
