import { randomUUID } from 'node:crypto';
import type moleculer from 'moleculer';
import type { PortalDocument, PortalDocumentRequest } from '@portal/contracts';
import { callerOf, contractAction } from '@portal/kit';
import { findVersion, insertDocument, replaceShares } from '../documents/documents.repository.ts';
import { issueDownloadLink } from '../downloads/download-link.ts';
import { documentsError } from '../errors.ts';
import { findFileType } from '../file-types/file-types.repository.ts';
import { findRequest } from '../requests/requests.repository.ts';
import type { DocumentActionDeps } from '../documents/documents.actions.ts';
import { acceptUpload, issueUploadTicket } from '../uploads/upload-flow.ts';
import { portalViewerOf, seesItemsOf, type PortalViewer } from './document-visibility.ts';
import { withOwnerNames, type Unnamed } from './owner-names.ts';
import {
  findPortalDocument,
  findPortalRequest,
  listCleanVersions,
  listPortalDocumentPage,
  listPortalRequestPage,
} from './portal-documents.queries.ts';

const documentNotFound = () => documentsError('DOCUMENT_NOT_FOUND');

async function namedRequest(
  ctx: moleculer.Context,
  request: Unnamed<PortalDocumentRequest>,
): Promise<PortalDocumentRequest> {
  const [named] = await withOwnerNames<PortalDocumentRequest>(ctx, [request]);
  return named as PortalDocumentRequest;
}

/** An account narrowing the contact does not reach answers like one that does not exist. */
function requireReachedAccount(viewer: PortalViewer, accountId: string | undefined): void {
  if (accountId !== undefined && !viewer.accountIds.includes(accountId)) throw documentsError('OWNER_NOT_FOUND');
}
const requestNotFound = () => documentsError('DOCUMENT_REQUEST_NOT_FOUND');

/**
 * What contacts do with documents. Every read goes through the visibility conditions with the
 * owners the directory resolved for the signed-in contact; anything outside answers 404.
 */
export function portalDocumentActions(deps: DocumentActionDeps): Record<string, moleculer.ActionSchema> {
  const { store } = deps;
  return {
    listPortalDocuments: contractAction('documents.listPortalDocuments', async (args, ctx) => {
      const viewer = await portalViewerOf(ctx);
      if (args.ownerId !== undefined && !seesItemsOf(viewer, args.ownerId, args.ownerKind)) {
        throw documentsError('OWNER_NOT_FOUND');
      }
      requireReachedAccount(viewer, args.accountId);
      const page = await listPortalDocumentPage(store.read(), viewer, args);
      return { ...page, items: await withOwnerNames<PortalDocument>(ctx, page.items) };
    }),

    getPortalDocument: contractAction('documents.getPortalDocument', async ({ documentId }, ctx) => {
      const em = store.read();
      const document = await findPortalDocument(em, await portalViewerOf(ctx), documentId);
      if (!document) throw documentNotFound();
      const [named] = await withOwnerNames<PortalDocument>(ctx, [document]);
      return { ...(named as PortalDocument), versions: await listCleanVersions(em, documentId) };
    }),

    createPortalDownloadLink: contractAction(
      'documents.createPortalDownloadLink',
      async ({ documentId, versionId }, ctx) => {
        const viewer = await portalViewerOf(ctx);
        return store.change(async (tx) => {
          const document = await findPortalDocument(tx, viewer, documentId);
          if (!document) throw documentNotFound();
          const version = await findVersion(tx, documentId, versionId);
          // A quarantined version of a visible document is as absent as any other.
          if (!version || version.scan_state !== 'clean') throw documentsError('VERSION_NOT_FOUND');
          return issueDownloadLink(tx, deps.storage, {
            accountId: document.accountId,
            version,
            caller: callerOf(ctx),
            ttlSeconds: deps.settings.downloadTtlSeconds,
          });
        });
      },
    ),

    listPortalDocumentRequests: contractAction('documents.listPortalDocumentRequests', async (args, ctx) => {
      const viewer = await portalViewerOf(ctx);
      requireReachedAccount(viewer, args.accountId);
      const page = await listPortalRequestPage(store.read(), viewer, args);
      return { ...page, items: await withOwnerNames<PortalDocumentRequest>(ctx, page.items) };
    }),

    getPortalDocumentRequest: contractAction('documents.getPortalDocumentRequest', async ({ requestId }, ctx) => {
      const request = await findPortalRequest(store.read(), await portalViewerOf(ctx), requestId);
      if (!request) throw requestNotFound();
      return namedRequest(ctx, request);
    }),

    startRequestUpload: contractAction('documents.startRequestUpload', async ({ requestId, ...declared }, ctx) => {
      const viewer = await portalViewerOf(ctx);
      return store.change(async (tx) => {
        const visible = await findPortalRequest(tx, viewer, requestId);
        if (!visible) throw requestNotFound();
        if (visible.status !== 'open') throw documentsError('DOCUMENT_REQUEST_CLOSED');
        const request = await findRequest(tx, requestId);
        const fileType = request && (await findFileType(tx, request.fileTypeId));
        if (!fileType) throw requestNotFound();
        return issueUploadTicket(deps, tx, {
          target: { requestId },
          fileType,
          ...declared,
          actor: callerOf(ctx).actor,
        });
      });
    }),

    finalizeRequestUpload: contractAction(
      'documents.finalizeRequestUpload',
      async ({ requestId, uploadId, sha256 }, ctx) => {
        const viewer = await portalViewerOf(ctx);
        const visible = await findPortalRequest(store.read(), viewer, requestId);
        if (!visible) throw requestNotFound();
        const version = await acceptUpload(deps, {
          uploadId,
          target: { requestId },
          sha256,
          // The answer becomes a document of the request's owner, shared with the contacts asked.
          fileVersion: async (tx, upload) => {
            const request = await findRequest(tx, requestId, { forUpdate: true });
            if (!request) throw requestNotFound();
            if (request.status !== 'open') throw documentsError('DOCUMENT_REQUEST_CLOSED');
            const documentId = randomUUID();
            await insertDocument(tx, {
              id: documentId,
              accountId: request.accountId,
              owner: request.owner,
              title: request.title,
              description: `Uploaded for the request "${request.title}" (${upload.file_name}).`,
              fileTypeId: request.fileTypeId,
              sharing: 'contacts',
              createdBy: upload.created_by,
            });
            await replaceShares(tx, documentId, request.requestedFromContactIds);
            return { documentId, requestId };
          },
        });
        const caller = callerOf(ctx);
        await deps.scanning.scan(version.id, {
          actor: caller.actor,
          requestId: caller.requestId,
          sourceAddress: caller.sourceIp,
        });
        const answered = await findPortalRequest(store.read(), viewer, requestId);
        if (!answered) throw requestNotFound();
        return namedRequest(ctx, answered);
      },
    ),
  };
}
