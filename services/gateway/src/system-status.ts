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
