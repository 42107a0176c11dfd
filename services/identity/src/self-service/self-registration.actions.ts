import type moleculer from 'moleculer';
import { callerOf, contractAction } from '@portal/kit';
import { addressKey, chargeAttempts, invoiceKey, type AttemptLimits } from './attempt-limits.ts';
import { enqueueRegistrationCheck } from './registration-checks.repository.ts';
import type { SelfServiceStore } from './self-service-store.ts';

/** The one answer, whatever the invoice, code, e-mail or class: nothing about them leaks. */
export const selfRegistrationReceipt = {
  received: true,
  message: 'Thank you. If the details match our records, an invitation is on its way to this e-mail address.',
} as const;

/**
 * Invoice-verified self-registration. The answer does the same work every time (count the attempt
 * per address and per invoice, queue the check) and never waits for the check: the directory's
 * hash comparison, a contact created and Keycloak's invite all happen after it, in the worker.
 */
export function selfRegistrationActions(
  store: SelfServiceStore,
  limits: AttemptLimits,
  queued: () => void,
): Record<string, moleculer.ActionSchema> {
  return {
    registerWithInvoice: contractAction('identity.registerWithInvoice', async (input, ctx) => {
      const caller = callerOf(ctx);
      await store.change(async (tx) => {
        await chargeAttempts(
          tx,
          [addressKey('self-registration', caller.sourceIp, limits), invoiceKey(input.invoiceNumber, limits)],
          limits.windowSeconds,
        );
        await enqueueRegistrationCheck(tx, input, caller);
      });
      queued();
      return selfRegistrationReceipt;
    }),
  };
}
