import { randomUUID } from 'node:crypto';
import type moleculer from 'moleculer';
import type { DocumentRequest } from '@portal/contracts';
import { callerOf, contractAction, recordEvent } from '@portal/kit';
import { documentsError } from '../errors.ts';
import { fileTypeNotFound } from '../file-types/file-types.actions.ts';
import { findFileType } from '../file-types/file-types.repository.ts';
import { accountOfOwner, requireContactsOfAccount } from '../owners/directory-owners.ts';
import type { DocumentsStore } from '../persistence/documents-store.ts';
import { originOf } from '../persistence/event-origin.ts';
import { cancelRequestRow, findRequest, insertRequest, listRequestPage } from './requests.repository.ts';

export const requestNotFound = () => documentsError('DOCUMENT_REQUEST_NOT_FOUND');

/** Staff asking contacts for a document, and seeing it fulfilled. */
export function requestActions(store: DocumentsStore): Record<string, moleculer.ActionSchema> {
  const reload = async (requestId: string) => (await findRequest(store.read(), requestId)) as DocumentRequest;
  return {
    listDocumentRequests: contractAction('documents.listDocumentRequests', (args) =>
      listRequestPage(store.read(), args),
    ),

    getDocumentRequest: contractAction('documents.getDocumentRequest', async ({ requestId }) => {
      const request = await findRequest(store.read(), requestId);
      if (!request) throw requestNotFound();
      return request;
    }),

    createDocumentRequest: contractAction('documents.createDocumentRequest', async (input, ctx) => {
      const accountId = await accountOfOwner(ctx, input.owner);
      await requireContactsOfAccount(ctx, accountId, input.requestedFromContactIds);
      const caller = callerOf(ctx);
      const id = randomUUID();
      await store.change(async (tx) => {
        if (!(await findFileType(tx, input.fileTypeId))) throw fileTypeNotFound();
        const contactIds = [...new Set(input.requestedFromContactIds)];
        await insertRequest(tx, {
          id,
          accountId,
          owner: input.owner,
          title: input.title,
          instructions: input.instructions ?? null,
          fileTypeId: input.fileTypeId,
          dueDate: input.dueDate ?? null,
          contactIds,
          createdBy: caller.actor,
        });
        await recordEvent(
          tx,
          'documents.request.created',
          {
            requestId: id,
            accountId,
            owner: input.owner,
            title: input.title,
            requestedFromContactIds: contactIds,
            dueDate: input.dueDate ?? null,
          },
          originOf(caller, accountId),
        );
      });
      return reload(id);
    }),

    cancelDocumentRequest: contractAction('documents.cancelDocumentRequest', async ({ requestId }, ctx) => {
      const caller = callerOf(ctx);
      await store.change(async (tx) => {
        const request = await findRequest(tx, requestId, { forUpdate: true });
        if (!request) throw requestNotFound();
        if (request.status !== 'open') throw documentsError('DOCUMENT_REQUEST_CLOSED');
        await cancelRequestRow(tx, requestId);
        await recordEvent(
          tx,
          'documents.request.cancelled',
          { requestId, accountId: request.accountId },
          originOf(caller, request.accountId),
        );
      });
      return reload(requestId);
    }),
  };
}
