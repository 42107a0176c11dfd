import { randomUUID } from 'node:crypto';
import type moleculer from 'moleculer';
import type { Submittal } from '@portal/contracts';
import { callerOf, contractAction, recordEvent } from '@portal/kit';
import { transmittalNumber } from '../domain/submittal-status.rules.ts';
import { accountOfProject } from '../directory/directory-owners.ts';
import { submittalsError } from '../errors.ts';
import { staffFiles } from '../files/document-files.ts';
import { originOf } from '../persistence/event-origin.ts';
import type { SubmittalsStore } from '../persistence/submittals-store.ts';
import { lockedFor, outgoingFacts, submittalNotFound } from './submittals.guards.ts';
import {
  findSubmittal,
  insertSubmittal,
  listSubmittalRows,
  nextSequence,
  replaceFiles,
  setStatus,
  staffListConditions,
  updateDraft,
} from './submittals.repository.ts';

export interface OutgoingDeps {
  store: SubmittalsStore;
  /** `SUBMITTALS_NUMBER_PREFIX`: transmittal numbers are the prefix and the project's sequence. */
  numberPrefix: string;
}

/** Staff's outgoing submittals: drafts, sending, closing, voiding and next revisions. */
export function outgoingActions(deps: OutgoingDeps): Record<string, moleculer.ActionSchema> {
  const { store } = deps;
  const reload = async (id: string) => (await findSubmittal(store.read(), id)) as Submittal;

  return {
    listSubmittals: contractAction('submittals.listSubmittals', ({ limit, cursor, ...filter }) =>
      listSubmittalRows(store.read(), staffListConditions(filter), { limit, cursor }),
    ),

    createSubmittal: contractAction('submittals.createSubmittal', async (input, ctx) => {
      const accountId = await accountOfProject(ctx, input.projectId);
      const files = await staffFiles(ctx, input.versionIds, accountId);
      const id = randomUUID();
      await store.change(async (tx) => {
        const sequence = await nextSequence(tx, input.projectId);
        await insertSubmittal(tx, {
          id,
          accountId,
          projectId: input.projectId,
          sequence,
          number: transmittalNumber(deps.numberPrefix, sequence),
          revision: 0,
          previousRevisionId: null,
          purpose: input.purpose,
          title: input.title,
          message: input.message ?? null,
          dueDate: input.dueDate ?? null,
          expectedReturnDate: input.expectedReturnDate ?? null,
          notifyByEmail: input.notifyByEmail,
          createdBy: callerOf(ctx).actor,
        });
        await replaceFiles(tx, id, files);
      });
      return reload(id);
    }),

    getSubmittal: contractAction('submittals.getSubmittal', async ({ submittalId }) => {
      const submittal = await findSubmittal(store.read(), submittalId);
      if (!submittal) throw submittalNotFound();
      return submittal;
    }),

    updateSubmittal: contractAction(
      'submittals.updateSubmittal',
      async ({ submittalId, versionIds, ...patch }, ctx) => {
        const current = await findSubmittal(store.read(), submittalId);
        if (!current) throw submittalNotFound();
        const files = versionIds === undefined ? undefined : await staffFiles(ctx, versionIds, current.accountId);
        await store.change(async (tx) => {
          const draft = await lockedFor(tx, submittalId, 'update');
          await updateDraft(tx, {
            id: submittalId,
            purpose: patch.purpose ?? draft.purpose,
            title: patch.title ?? draft.title,
            message: patch.message === undefined ? draft.message : patch.message,
            dueDate: patch.dueDate === undefined ? draft.dueDate : patch.dueDate,
            expectedReturnDate:
              patch.expectedReturnDate === undefined ? draft.expectedReturnDate : patch.expectedReturnDate,
            notifyByEmail: patch.notifyByEmail ?? draft.notifyByEmail,
          });
          if (files) await replaceFiles(tx, submittalId, files);
        });
        return reload(submittalId);
      },
    ),

    sendSubmittal: contractAction('submittals.sendSubmittal', async ({ submittalId }, ctx) => {
      await store.change(async (tx) => {
        const draft = await lockedFor(tx, submittalId, 'send');
        if (draft.files.length === 0) throw submittalsError('SUBMITTAL_HAS_NO_FILES');
        await setStatus(tx, submittalId, 'sent');
        await recordEvent(
          tx,
          'submittals.submittal.sent',
          {
            ...outgoingFacts(draft),
            purpose: draft.purpose,
            notifyByEmail: draft.notifyByEmail,
            dueDate: draft.dueDate,
            expectedReturnDate: draft.expectedReturnDate,
          },
          originOf(callerOf(ctx), draft.accountId),
        );
      });
      return reload(submittalId);
    }),

    voidSubmittal: contractAction('submittals.voidSubmittal', async ({ submittalId }, ctx) => {
      await store.change(async (tx) => {
        const submittal = await lockedFor(tx, submittalId, 'void');
        await setStatus(tx, submittalId, 'void');
        await recordEvent(
          tx,
          'submittals.submittal.voided',
          { ...outgoingFacts(submittal), wasSent: submittal.status !== 'draft' },
          originOf(callerOf(ctx), submittal.accountId),
        );
      });
      return reload(submittalId);
    }),

    closeSubmittal: contractAction('submittals.closeSubmittal', async ({ submittalId }) => {
      await store.change(async (tx) => {
        await lockedFor(tx, submittalId, 'close');
        await setStatus(tx, submittalId, 'closed');
      });
      return reload(submittalId);
    }),

    createNextRevision: contractAction('submittals.createNextRevision', async ({ submittalId }, ctx) => {
      const id = randomUUID();
      await store.change(async (tx) => {
        const previous = await findSubmittal(tx, submittalId, { forUpdate: true });
        if (!previous) throw submittalNotFound();
        const allowed =
          previous.status === 'returned' && previous.response?.stageComplete === false && !previous.nextRevisionId;
        if (!allowed) {
          throw submittalsError('REVISION_NOT_ALLOWED', {
            details: { status: previous.status, stageComplete: previous.response?.stageComplete ?? null },
          });
        }
        const [{ sequence } = { sequence: 0 }] = await tx.execute<{ sequence: number }[]>(
          'select sequence from submittal where id = ?',
          [submittalId],
        );
        await insertSubmittal(tx, {
          id,
          accountId: previous.accountId,
          projectId: previous.projectId,
          sequence,
          number: previous.number,
          revision: previous.revision + 1,
          previousRevisionId: previous.id,
          purpose: previous.purpose,
          title: previous.title,
          message: previous.message,
          dueDate: previous.dueDate,
          expectedReturnDate: previous.expectedReturnDate,
          notifyByEmail: previous.notifyByEmail,
          createdBy: callerOf(ctx).actor,
        });
        await replaceFiles(tx, id, previous.files);
        // The returned revision's stage ends: the new one carries the transmittal on.
        await setStatus(tx, previous.id, 'closed');
      });
      return reload(id);
    }),
  };
}
