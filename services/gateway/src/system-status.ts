import { serviceNames, type ServiceName, type ServiceStatus } from '@portal/contracts';
import { call, type Caller } from '@portal/kit';

export interface SystemStatus {
  status: 'ok' | 'degraded';
  services: Record<ServiceName, ServiceStatus | { service: ServiceName; state: 'unreachable'; reason: string }>;
}

/** Asks every service for its status in parallel; a service that does not answer is `unreachable`. */
export async function collectSystemStatus(caller: Caller, timeoutMs = 2_000): Promise<SystemStatus> {
  const answers = await Promise.all(
    serviceNames.map(async (service) => {
      try {
        return await call(caller, `${service}.status`, {}, { timeout: timeoutMs });
      } catch (error) {
        return { service, state: 'unreachable' as const, reason: (error as Error).name };
      }
    }),
  );
  const healthy = answers.every(
    (answer) => 'dependencies' in answer && Object.values(answer.dependencies).every((state) => state === 'up'),
  );
  return {
    status: healthy ? 'ok' : 'degraded',
    services: Object.fromEntries(answers.map((answer) => [answer.service, answer])) as SystemStatus['services'],
  };
}

/** What `/api/v1/status` tells a caller without a staff token: the verdict, nothing about the nodes. */
export const publicStatusOf = (status: SystemStatus): Pick<SystemStatus, 'status'> => ({ status: status.status });

export interface StatusCacheOptions {
  /** How long one collected status answers every caller; 0 only shares a collection in progress. */
  ttlMs: number;
  now?: () => number;
}

/**
 * One collection serves every caller for `ttlMs` (and callers arriving while it runs share it), so
 * a flood of status requests asks each service once per period, not once per request.
 */
export function cachedStatus(collect: (caller: Caller) => Promise<SystemStatus>, options: StatusCacheOptions) {
  const now = options.now ?? Date.now;
  let pending: Promise<SystemStatus> | null = null;
  let cached: { status: SystemStatus; at: number } | null = null;
  return (caller: Caller): Promise<SystemStatus> => {
    if (cached && now() - cached.at < options.ttlMs) return Promise.resolve(cached.status);
    pending ??= collect(caller)
      .then((status) => {
        cached = { status, at: now() };
        return status;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };
}
