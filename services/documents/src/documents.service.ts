import type moleculer from 'moleculer';
import { statusActionOf, type DurableStatus, type ReadinessCheck } from '@portal/kit';
import { serviceVersion } from './version.ts';

/** File types, documents and versions in S3, presigned transfer, download log (filled in by the documents issue). */
export function documentsService(
  readiness: Record<string, ReadinessCheck>,
  durableStatus?: () => Promise<DurableStatus>,
): moleculer.ServiceSchema {
  return {
    name: 'documents',
    actions: {
      status: statusActionOf('documents', readiness, serviceVersion, durableStatus),
    },
  };
}
