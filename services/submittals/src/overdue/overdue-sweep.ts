import type moleculer from 'moleculer';
import { recordEvent, type EventOrigin } from '@portal/kit';
import { outgoingFacts } from '../outgoing/submittals.guards.ts';
import { claimOverdue } from '../outgoing/submittals.repository.ts';
import type { SubmittalsStore } from '../persistence/submittals-store.ts';

const sweepOrigin: EventOrigin = { actor: { kind: 'system', component: 'submittals.overdue-sweep' } };

/**
 * Reports sent submittals whose expected-return date has passed: each is claimed (stamped) and
 * its `submittals.submittal.overdue` event written in one transaction, so it is reported once,
 * whichever replica's timer gets there first (`skip locked`).
 */
export async function sweepOverdue(store: SubmittalsStore): Promise<number> {
  let total = 0;
  for (;;) {
    const claimed = await store.change(async (tx) => {
      const overdue = await claimOverdue(tx, 100);
      for (const submittal of overdue) {
        await recordEvent(
          tx,
          'submittals.submittal.overdue',
          { ...outgoingFacts(submittal), expectedReturnDate: submittal.expectedReturnDate as string },
          { ...sweepOrigin, accountId: submittal.accountId },
        );
      }
      return overdue.length;
    });
    total += claimed;
    if (claimed < 100) return total;
  }
}

export function startOverdueSweep(deps: { store: SubmittalsStore; logger: moleculer.Logger; intervalMs: number }): {
  stop(): Promise<void>;
} {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    running ??= sweepOverdue(deps.store)
      .catch((error: unknown) => deps.logger.warn(`overdue sweep failed: ${(error as Error).message}`))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, deps.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
