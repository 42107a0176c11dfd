import type moleculer from 'moleculer';
import type { ServiceOrm } from '@portal/kit';
import { accessRequestActions } from './access-requests.actions.ts';
import { purgeAttemptCounters, type AttemptLimits } from './attempt-limits.ts';
import {
  startRegistrationWorker,
  type RegistrationWorker,
  type RegistrationWorkerOptions,
} from './registration-checks.worker.ts';
import { selfRegistrationActions } from './self-registration.actions.ts';
import { selfServiceStoreOf } from './self-service-store.ts';

const counterPurgeMs = 10 * 60_000;

/** The identity service's part for the login page's self-service: its actions and its background work. */
export interface SelfService {
  actions: Record<string, moleculer.ActionSchema>;
  /** Call once the broker runs: starts the registration checks and the counter purge. */
  start(broker: moleculer.ServiceBroker, logger: moleculer.Logger): void;
  stop(): Promise<void>;
}

export function selfServiceOf(
  orm: ServiceOrm,
  limits: AttemptLimits,
  workerOptions: Partial<RegistrationWorkerOptions> = {},
): SelfService {
  const store = selfServiceStoreOf(orm);
  let worker: RegistrationWorker | null = null;
  let purgeTimer: NodeJS.Timeout | null = null;
  return {
    actions: {
      ...accessRequestActions(store, limits),
      ...selfRegistrationActions(store, limits, () => worker?.wake()),
    },
    start(broker, logger) {
      worker ??= startRegistrationWorker({ store, broker, logger, options: workerOptions });
      purgeTimer ??= setInterval(() => {
        purgeAttemptCounters(store.read(), limits.windowSeconds).catch((error: unknown) =>
          logger.warn('attempt counter purge failed', error),
        );
      }, counterPurgeMs).unref();
    },
    async stop() {
      if (purgeTimer) clearInterval(purgeTimer);
      await worker?.stop();
      worker = null;
    },
  };
}
