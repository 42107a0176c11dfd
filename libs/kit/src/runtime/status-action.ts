import type moleculer from 'moleculer';
import type { ServiceName } from '@portal/contracts';
import { contractAction } from '../broker/typed-call.ts';
import { evaluateReadiness, type ReadinessCheck } from '../health/health-server.ts';

const processStartedAt = Date.now();

/** The `<service>.status` action every service publishes; the gateway aggregates them. */
export function statusActionOf(
  service: ServiceName,
  readiness: Readonly<Record<string, ReadinessCheck>>,
  version: string,
): moleculer.ActionSchema {
  return contractAction(`${service}.status`, async (_params, ctx) => {
    const { checks } = await evaluateReadiness(readiness);
    return {
      service,
      nodeID: ctx.broker.nodeID,
      version,
      uptimeSeconds: (Date.now() - processStartedAt) / 1000,
      dependencies: checks,
    };
  });
}
