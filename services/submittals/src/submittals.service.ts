import type moleculer from 'moleculer';
import { contractAction, statusActionOf, type DurableStatus, type ReadinessCheck } from '@portal/kit';
import { incomingActions } from './incoming/incoming.actions.ts';
import { outgoingActions, type OutgoingDeps } from './outgoing/submittals.actions.ts';
import { sweepOverdue } from './overdue/overdue-sweep.ts';
import { portalSubmittalActions } from './portal/portal-submittals.actions.ts';
import { returnCodeActions } from './return-codes/return-codes.actions.ts';
import { serviceVersion } from './version.ts';

/** Outgoing and incoming submittals, return codes, revisions, the customer-files queue and overdue reminders. */
export function submittalsService(
  deps: OutgoingDeps,
  readiness: Record<string, ReadinessCheck>,
  durableStatus?: () => Promise<DurableStatus>,
): moleculer.ServiceSchema {
  return {
    name: 'submittals',
    actions: {
      status: statusActionOf('submittals', readiness, serviceVersion, durableStatus),
      ...returnCodeActions(deps.store),
      ...outgoingActions(deps),
      ...incomingActions(deps.store),
      ...portalSubmittalActions(deps.store),
      sweepOverdueSubmittals: contractAction('submittals.sweepOverdueSubmittals', async () => ({
        overdue: await sweepOverdue(deps.store),
      })),
    },
  };
}
