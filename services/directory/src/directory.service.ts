import type moleculer from 'moleculer';
import { statusActionOf, type ReadinessCheck } from '@portal/kit';
import { serviceVersion } from './version.ts';

/** Accounts, sites, projects, contacts and their portal access scopes (filled in by the directory issue). */
export function directoryService(readiness: Record<string, ReadinessCheck>): moleculer.ServiceSchema {
  return {
    name: 'directory',
    actions: {
      status: statusActionOf('directory', readiness, serviceVersion),
    },
  };
}
