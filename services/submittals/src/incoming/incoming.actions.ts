import type moleculer from 'moleculer';
import type { IncomingSubmittal } from '@portal/contracts';
import { callerOf, contractAction, recordEvent, SqlConditions } from '@portal/kit';
import { originOf } from '../persistence/event-origin.ts';
import type { SubmittalsStore } from '../persistence/submittals-store.ts';
import { incomingFacts, incomingNotFound } from './incoming.guards.ts';
import { findIncoming, listIncomingRows, listQueuePage, markProcessed } from './incoming.repository.ts';

/** The staff side of customers' submittals: "Files from customer" per project, the queue, processing. */
export function incomingActions(store: SubmittalsStore): Record<string, moleculer.ActionSchema> {
  return {
    listIncomingSubmittals: contractAction('submittals.listIncomingSubmittals', ({ projectId, status, ...page }) =>
      listIncomingRows(
        store.read(),
        new SqlConditions().add('i.project_id = ?', projectId).when(status !== undefined, 'i.status = ?', status),
        page,
      ),
    ),

    getIncomingSubmittal: contractAction('submittals.getIncomingSubmittal', async ({ incomingSubmittalId }) => {
      const incoming = await findIncoming(store.read(), incomingSubmittalId);
      if (!incoming) throw incomingNotFound();
      return incoming;
    }),

    markIncomingProcessed: contractAction('submittals.markIncomingProcessed', async ({ incomingSubmittalId }, ctx) => {
      const caller = callerOf(ctx);
      if (caller.actor.kind !== 'staff') throw new Error('only staff mark customer submittals processed');
      const staffUserId = caller.actor.userId;
      await store.change(async (tx) => {
        const incoming = await findIncoming(tx, incomingSubmittalId, { forUpdate: true });
        if (!incoming) throw incomingNotFound();
        if (incoming.status === 'processed') return;
        await markProcessed(tx, incomingSubmittalId, staffUserId);
        await recordEvent(
          tx,
          'submittals.submittal.processed',
          { ...incomingFacts(incoming), processedBy: staffUserId },
          originOf(caller, incoming.accountId),
        );
      });
      return (await findIncoming(store.read(), incomingSubmittalId)) as IncomingSubmittal;
    }),

    listIncomingQueue: contractAction('submittals.listIncomingQueue', (args) => listQueuePage(store.read(), args)),
  };
}
