import { setTimeout as sleep } from 'node:timers/promises';
import type moleculer from 'moleculer';
import type { Actor } from '@portal/contracts';
import { call, DomainError, errorText, recordEvent, type CallerMeta } from '@portal/kit';
import { contactNameFromRegistration } from '../domain/contact-name.rules.ts';
import { eventOriginOf } from './event-origin.ts';
import {
  claimDueRegistrationCheck,
  deleteRegistrationCheck,
  postponeRegistrationCheck,
  type RegistrationCheck,
} from './registration-checks.repository.ts';
import type { SelfServiceStore } from './self-service-store.ts';

/** Who acts when a registration is checked: the system, on behalf of the person's request. */
export const selfRegistrationActor: Actor = { kind: 'system', component: 'identity.self-registration' };

export interface RegistrationWorkerOptions {
  /** How often to look for due checks when nothing wakes the worker (other replicas' checks, retries). */
  pollMs: number;
  /** How long a claimed check is this worker's before another may take it. */
  leaseSeconds: number;
  /** Transient failures (a service or Keycloak away) before the check is dropped. */
  maxAttempts: number;
  /** Seconds before the next try, by attempt. */
  retryDelaysSeconds: readonly number[];
}

export const defaultRegistrationWorkerOptions: RegistrationWorkerOptions = {
  pollMs: 2_000,
  leaseSeconds: 120,
  maxAttempts: 5,
  retryDelaysSeconds: [5, 30, 120, 600],
};

export interface RegistrationWorker {
  /** A check was queued: look now rather than at the next poll. */
  wake(): void;
  stop(): Promise<void>;
}

type CheckOutcome = 'accepted' | 'not-matched' | 'refused' | 'retry' | 'dropped';

/**
 * Runs queued self-registration checks after their requests were answered: asks the directory
 * whether the invoice proves the claim, finds or creates the contact, invites it, and records
 * `identity.self-registration.accepted`. The person's answer never depends on any of this.
 * Start it once the broker runs (a check before the directory answers is simply retried).
 */
export function startRegistrationWorker(deps: {
  store: SelfServiceStore;
  broker: moleculer.ServiceBroker;
  logger: moleculer.Logger;
  options?: Partial<RegistrationWorkerOptions>;
}): RegistrationWorker {
  const options = { ...defaultRegistrationWorkerOptions, ...deps.options };
  const { store, broker, logger } = deps;
  const stopping = new AbortController();
  let wakeUp: (() => void) | null = null;

  async function check(job: RegistrationCheck): Promise<CheckOutcome> {
    const caller: CallerMeta = { actor: selfRegistrationActor, requestId: job.requestId, sourceIp: job.sourceIp };
    const meta = { ...caller };
    try {
      const verdict = await call(
        broker,
        'directory.verifyInvoiceForRegistration',
        {
          email: job.email,
          invoiceNumber: job.invoiceNumber,
          ...(job.quickPayCode === null ? {} : { quickPayCode: job.quickPayCode }),
          ...(job.accountNumber === null ? {} : { accountNumber: job.accountNumber }),
        },
        { meta },
      );
      if (!verdict.matched) {
        await deleteRegistrationCheck(store.read(), job.id);
        return 'not-matched';
      }
      const contactId =
        verdict.contactId ??
        (
          await call(
            broker,
            'directory.createContact',
            {
              accountId: verdict.accountId,
              email: job.email,
              ...contactNameFromRegistration(job.email, {
                ...(job.firstName === null ? {} : { firstName: job.firstName }),
                ...(job.lastName === null ? {} : { lastName: job.lastName }),
              }),
            },
            { meta },
          )
        ).id;
      await call(broker, 'identity.inviteContact', { contactId }, { meta });
      await store.change(async (tx) => {
        await deleteRegistrationCheck(tx, job.id);
        await recordEvent(
          tx,
          'identity.self-registration.accepted',
          { contactId, accountId: verdict.accountId },
          eventOriginOf(caller, verdict.accountId),
        );
      });
      return 'accepted';
    } catch (error) {
      // A rule said no (e-mail taken in another way, access already enabled): trying again changes nothing.
      if (error instanceof DomainError && error.kind !== 'unavailable') {
        logger.warn({ checkId: job.id, code: error.type }, 'self-registration matched but was refused');
        await deleteRegistrationCheck(store.read(), job.id);
        return 'refused';
      }
      if (job.attempts >= options.maxAttempts) {
        logger.error({ checkId: job.id, err: errorText(error) }, 'self-registration check dropped after retries');
        await deleteRegistrationCheck(store.read(), job.id);
        return 'dropped';
      }
      const delay = options.retryDelaysSeconds[Math.min(job.attempts, options.retryDelaysSeconds.length) - 1] ?? 60;
      await postponeRegistrationCheck(store.read(), job.id, delay, errorText(error));
      logger.warn(
        { checkId: job.id, attempts: job.attempts, err: errorText(error) },
        'self-registration check retried',
      );
      return 'retry';
    }
  }

  async function run(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        const job = await claimDueRegistrationCheck(store.read(), options.leaseSeconds);
        if (job) {
          const outcome = await check(job);
          logger.info({ checkId: job.id, outcome }, 'self-registration checked');
          continue;
        }
      } catch (error) {
        logger.warn({ err: errorText(error) }, 'self-registration checks: cannot reach the queue, will retry');
      }
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        sleep(options.pollMs, undefined, { signal: stopping.signal }).then(resolve, resolve);
      });
      wakeUp = null;
    }
  }

  const running = run().catch((error: unknown) =>
    logger.error({ err: errorText(error) }, 'self-registration checks stopped'),
  );
  return {
    wake: () => wakeUp?.(),
    async stop() {
      stopping.abort();
      wakeUp?.();
      await running;
    },
  };
}
