import type moleculer from 'moleculer';
import type { ServiceName } from '@portal/contracts';
import { contractAction } from '../broker/typed-call.ts';
import { evaluateReadiness, type ReadinessCheck } from '../health/health-server.ts';
import type { DurableStatus } from './service-store.ts';

const processStartedAt = Date.now();

/**
 * The `<service>.status` action every service publishes; the gateway aggregates them. With
 * `durableStatus` (a store's), it adds the outbox backlog and each consumer's lag: information, not
 * health, so they never turn a dependency down; when they cannot be read they are left out.
 */
export function statusActionOf(
  service: ServiceName,
  readiness: Readonly<Record<string, ReadinessCheck>>,
  version: string,
  durableStatus?: () => Promise<DurableStatus>,
  /** Point-in-time figures of this process (open streams, say): information, like the durable status. */
  gauges?: () => Record<string, number>,
): moleculer.ActionSchema {
  return contractAction(`${service}.status`, async (_params, ctx) => {
    const [{ checks }, durable] = await Promise.all([
      evaluateReadiness(readiness),
      durableStatus?.().catch(() => undefined),
    ]);
    return {
      service,
      nodeID: ctx.broker.nodeID,
      version,
      uptimeSeconds: (Date.now() - processStartedAt) / 1000,
      dependencies: checks,
      ...(durable ?? {}),
      ...(gauges ? { gauges: gauges() } : {}),
    };
  });
}
