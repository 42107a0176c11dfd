import { randomUUID } from 'node:crypto';
import type moleculer from 'moleculer';
import type { DocumentContentType } from '@portal/contracts';
import { callerOf, contractAction } from '@portal/kit';
import type { DocumentActionDeps } from '../documents/documents.actions.ts';
import { insertDocument, replaceShares } from '../documents/documents.repository.ts';
import { documentsError } from '../errors.ts';
import { findFileTypeByCode } from '../file-types/file-types.repository.ts';
import { accountOfOwner } from '../owners/directory-owners.ts';
import { acceptUpload, issueUploadTicket } from '../uploads/upload-flow.ts';
import { portalViewerOf, seesItemsOf, type PortalViewer } from './document-visibility.ts';

/** The file type of every file a contact sends to a project (seeded by the documents model migration). */
export const customerFileTypeCode = 'customer-file';

/**
 * Files a contact sends to a project outside any request: the files of its own submittal, or
 * marked-up drawings answering one. Each becomes a document of the project with the
 * "customer-file" type, shared with the uploader only; staff see it like any document, and the
 * submittals service attaches its version by id.
 */
export function projectUploadActions(deps: DocumentActionDeps): Record<string, moleculer.ActionSchema> {
  const { store } = deps;
  const requireVisibleProject = (viewer: PortalViewer, projectId: string) => {
    if (!seesItemsOf(viewer, projectId, 'project')) throw documentsError('OWNER_NOT_FOUND');
  };
  const customerFileType = async (tx: ReturnType<typeof store.read>) => {
    const fileType = await findFileTypeByCode(tx, customerFileTypeCode);
    if (!fileType)
      throw documentsError('FILE_TYPE_NOT_FOUND', { message: 'The "customer-file" file type is missing.' });
    return fileType;
  };

  return {
    startProjectUpload: contractAction('documents.startProjectUpload', async ({ projectId, ...declared }, ctx) => {
      requireVisibleProject(await portalViewerOf(ctx), projectId);
      return store.change(async (tx) =>
        issueUploadTicket(deps, tx, {
          target: { projectId },
          fileType: await customerFileType(tx),
          ...declared,
          actor: callerOf(ctx).actor,
        }),
      );
    }),

    finalizeProjectUpload: contractAction(
      'documents.finalizeProjectUpload',
      async ({ projectId, uploadId, sha256 }, ctx) => {
        const viewer = await portalViewerOf(ctx);
        requireVisibleProject(viewer, projectId);
        const accountId = await accountOfOwner(ctx, { kind: 'project', id: projectId });
        const version = await acceptUpload(deps, {
          uploadId,
          target: { projectId },
          sha256,
          fileVersion: async (tx, upload) => {
            // Another contact of the project cannot finish this contact's upload.
            const by = upload.created_by;
            if (by.kind !== 'contact' || by.contactId !== viewer.contactId) throw documentsError('UPLOAD_NOT_FOUND');
            const documentId = randomUUID();
            await insertDocument(tx, {
              id: documentId,
              accountId,
              owner: { kind: 'project', id: projectId },
              title: upload.file_name,
              description: 'Sent to the project by a contact.',
              fileTypeId: (await customerFileType(tx)).id,
              sharing: 'contacts',
              createdBy: upload.created_by,
            });
            await replaceShares(tx, documentId, [viewer.contactId]);
            return { documentId, requestId: null };
          },
        });
        const caller = callerOf(ctx);
        const scanState = await deps.scanning.scan(version.id, {
          actor: caller.actor,
          requestId: caller.requestId,
          sourceAddress: caller.sourceIp,
        });
        return {
          documentId: version.document_id,
          versionId: version.id,
          fileName: version.file_name,
          sizeBytes: Number(version.size_bytes),
          contentType: version.content_type as DocumentContentType,
          scanState,
        };
      },
    ),
  };
}
