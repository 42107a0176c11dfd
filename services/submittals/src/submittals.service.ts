import type moleculer from 'moleculer';
import { statusActionOf, type DurableStatus, type ReadinessCheck } from '@portal/kit';
import { serviceVersion } from './version.ts';

/** Outgoing and incoming submittals, review codes and revisions (filled in by the submittals issue). */
export function submittalsService(
  readiness: Record<string, ReadinessCheck>,
  durableStatus?: () => Promise<DurableStatus>,
): moleculer.ServiceSchema {
  return {
    name: 'submittals',
    actions: {
      status: statusActionOf('submittals', readiness, serviceVersion, durableStatus),
    },
  };
}
