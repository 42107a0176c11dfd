import { randomUUID } from 'node:crypto';
import type moleculer from 'moleculer';
import {
  portalSubmittalStatuses,
  type IncomingSubmittal,
  type PortalIncomingSubmittal,
  type PortalSubmittal,
  type Submittal,
} from '@portal/contracts';
import { call, callerOf, contractAction, DomainError, recordEvent, SqlConditions, sqlArray } from '@portal/kit';
import { accountOfProject } from '../directory/directory-owners.ts';
import { submittalsError } from '../errors.ts';
import { contactFiles } from '../files/document-files.ts';
import { incomingFacts, incomingNotFound } from '../incoming/incoming.guards.ts';
import { findIncoming, insertIncoming, listIncomingRows } from '../incoming/incoming.repository.ts';
import { lockedFor, outgoingFacts, submittalNotFound } from '../outgoing/submittals.guards.ts';
import { findSubmittal, listSubmittalRows, recordResponse } from '../outgoing/submittals.repository.ts';
import { originOf } from '../persistence/event-origin.ts';
import type { SubmittalsStore } from '../persistence/submittals-store.ts';
import { effectiveReturnCodes } from '../return-codes/return-codes.repository.ts';
import { portalViewerOf, seesProject, type PortalViewer } from './portal-viewer.ts';

const portalStatuses: readonly string[] = portalSubmittalStatuses;

/** A submittal a contact sees: sent (or answered, or closed) on a project it sees. */
function visibleToViewer(submittal: Submittal | null, viewer: PortalViewer): submittal is Submittal {
  return submittal !== null && portalStatuses.includes(submittal.status) && seesProject(viewer, submittal.projectId);
}

function toPortalSubmittal(submittal: Submittal): PortalSubmittal {
  return {
    id: submittal.id,
    accountId: submittal.accountId,
    projectId: submittal.projectId,
    number: submittal.number,
    revision: submittal.revision,
    purpose: submittal.purpose,
    title: submittal.title,
    message: submittal.message,
    files: submittal.files,
    dueDate: submittal.dueDate,
    expectedReturnDate: submittal.expectedReturnDate,
    status: submittal.status as PortalSubmittal['status'],
    overdue: submittal.overdue,
    response: submittal.response,
    sentAt: submittal.sentAt as string,
  };
}

function toPortalIncoming(incoming: IncomingSubmittal): PortalIncomingSubmittal {
  const { contactId: _contact, processedBy: _staff, ...seen } = incoming;
  return seen;
}

/** A contact's own submittal, while it still sees the project. */
const ownIncoming = (incoming: IncomingSubmittal | null, viewer: PortalViewer): incoming is IncomingSubmittal =>
  incoming !== null && incoming.contactId === viewer.contactId && seesProject(viewer, incoming.projectId);

/**
 * What contacts do with submittals. Every read asks the directory for the projects the contact
 * sees; a submittal outside them answers 404 like a missing id.
 */
export function portalSubmittalActions(store: SubmittalsStore): Record<string, moleculer.ActionSchema> {
  const visibleSubmittal = async (ctx: moleculer.Context, submittalId: string) => {
    const viewer = await portalViewerOf(ctx);
    const submittal = await findSubmittal(store.read(), submittalId);
    if (!visibleToViewer(submittal, viewer)) throw submittalNotFound();
    return { viewer, submittal };
  };

  return {
    listPortalSubmittals: contractAction('submittals.listPortalSubmittals', async (args, ctx) => {
      const viewer = await portalViewerOf(ctx);
      if (args.projectId !== undefined && !seesProject(viewer, args.projectId)) {
        throw submittalsError('SUBMITTAL_PROJECT_NOT_FOUND');
      }
      const where = new SqlConditions()
        .add('s.project_id = any(?::uuid[])', sqlArray(args.projectId ? [args.projectId] : viewer.projectIds))
        .add('s.status = any(?::text[])', sqlArray(args.status ? [args.status] : portalSubmittalStatuses));
      const page = await listSubmittalRows(store.read(), where, args);
      return { ...page, items: page.items.map(toPortalSubmittal) };
    }),

    getPortalSubmittal: contractAction('submittals.getPortalSubmittal', async ({ submittalId }, ctx) => {
      const { submittal } = await visibleSubmittal(ctx, submittalId);
      const { codes } = await effectiveReturnCodes(store.read(), submittal.accountId);
      return { ...toPortalSubmittal(submittal), returnCodes: codes };
    }),

    createPortalSubmittalDownloadLink: contractAction(
      'submittals.createPortalSubmittalDownloadLink',
      async ({ submittalId, versionId }, ctx) => {
        const { submittal } = await visibleSubmittal(ctx, submittalId);
        const files = [...submittal.files, ...(submittal.response?.markupFiles ?? [])];
        if (!files.some((file) => file.versionId === versionId)) throw submittalsError('SUBMITTAL_FILE_NOT_FOUND');
        try {
          // The documents service logs the download with this call's actor: the contact.
          return await call(ctx, 'documents.issueVersionDownloadLink', { versionId });
        } catch (error) {
          if (error instanceof DomainError && (error.kind === 'not_found' || error.kind === 'rule_violation')) {
            throw submittalsError('SUBMITTAL_FILE_NOT_FOUND');
          }
          throw error;
        }
      },
    ),

    respondToSubmittal: contractAction(
      'submittals.respondToSubmittal',
      async ({ submittalId, code, comments, markupVersionIds }, ctx) => {
        const { viewer, submittal } = await visibleSubmittal(ctx, submittalId);
        const markupFiles = await contactFiles(ctx, markupVersionIds, {
          projectId: submittal.projectId,
          contactId: viewer.contactId,
        });
        await store.change(async (tx) => {
          const sent = await lockedFor(tx, submittalId, 'respond');
          const chosen = (await effectiveReturnCodes(tx, sent.accountId)).codes.find((c) => c.code === code);
          if (!chosen) throw submittalsError('RETURN_CODE_UNKNOWN', { details: { code } });
          await recordResponse(tx, submittalId, {
            code: chosen.code,
            label: chosen.label,
            stageComplete: chosen.stageComplete,
            comments: comments ?? null,
            markupFiles,
            contactId: viewer.contactId,
            respondedAt: new Date().toISOString(),
          });
          await recordEvent(
            tx,
            'submittals.submittal.returned',
            {
              ...outgoingFacts(sent),
              contactId: viewer.contactId,
              code: chosen.code,
              label: chosen.label,
              stageComplete: chosen.stageComplete,
            },
            originOf(callerOf(ctx), sent.accountId),
          );
        });
        return toPortalSubmittal((await findSubmittal(store.read(), submittalId)) as Submittal);
      },
    ),

    createIncomingSubmittal: contractAction('submittals.createIncomingSubmittal', async (input, ctx) => {
      const viewer = await portalViewerOf(ctx);
      if (!seesProject(viewer, input.projectId)) throw submittalsError('SUBMITTAL_PROJECT_NOT_FOUND');
      const accountId = await accountOfProject(ctx, input.projectId);
      const files = await contactFiles(
        ctx,
        input.files.map((file) => file.versionId),
        {
          projectId: input.projectId,
          contactId: viewer.contactId,
        },
      );
      const id = randomUUID();
      await store.change(async (tx) => {
        await insertIncoming(tx, {
          id,
          accountId,
          projectId: input.projectId,
          contactId: viewer.contactId,
          transmittalNumber: input.transmittalNumber,
          note: input.note ?? null,
          files,
          letterVersionId: input.files.find((file) => file.isLetter)?.versionId ?? null,
          createdBy: callerOf(ctx).actor,
        });
        const incoming = (await findIncoming(tx, id)) as IncomingSubmittal;
        await recordEvent(
          tx,
          'submittals.submittal.received',
          { ...incomingFacts(incoming), fileCount: files.length },
          originOf(callerOf(ctx), accountId),
        );
      });
      return toPortalIncoming((await findIncoming(store.read(), id)) as IncomingSubmittal);
    }),

    listPortalIncomingSubmittals: contractAction('submittals.listPortalIncomingSubmittals', async (page, ctx) => {
      const viewer = await portalViewerOf(ctx);
      const where = new SqlConditions()
        .add('i.contact_id = ?', viewer.contactId)
        .add('i.project_id = any(?::uuid[])', sqlArray(viewer.projectIds));
      const result = await listIncomingRows(store.read(), where, page);
      return { ...result, items: result.items.map(toPortalIncoming) };
    }),

    getPortalIncomingSubmittal: contractAction(
      'submittals.getPortalIncomingSubmittal',
      async ({ incomingSubmittalId }, ctx) => {
        const viewer = await portalViewerOf(ctx);
        const incoming = await findIncoming(store.read(), incomingSubmittalId);
        if (!ownIncoming(incoming, viewer)) throw incomingNotFound();
        return toPortalIncoming(incoming);
      },
    ),
  };
}
