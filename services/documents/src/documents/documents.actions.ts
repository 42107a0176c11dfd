import { randomUUID } from 'node:crypto';
import type moleculer from 'moleculer';
import type { ActionResult, Document } from '@portal/contracts';
import { callerOf, contractAction, recordEvent, type ServiceOrm } from '@portal/kit';
import { issueDownloadLink } from '../downloads/download-link.ts';
import { downloadCsvExport, listDownloadPage } from '../downloads/downloads.repository.ts';
import { documentsError } from '../errors.ts';
import { fileTypeNotFound } from '../file-types/file-types.actions.ts';
import { findFileType } from '../file-types/file-types.repository.ts';
import { accountOfOwner, requireContactsOfAccount } from '../owners/directory-owners.ts';
import type { DocumentsStore } from '../persistence/documents-store.ts';
import { changedFields, originOf } from '../persistence/event-origin.ts';
import { toVersion } from '../persistence/rows.ts';
import type { VersionScanning } from '../scanning/version-scanning.ts';
import { acceptUpload, issueUploadTicket, type UploadFlowDeps } from '../uploads/upload-flow.ts';
import {
  archiveDocumentRow,
  findDocument,
  findVersion,
  insertDocument,
  listDocumentPage,
  listVersionPage,
  replaceShares,
  updateDocumentRow,
} from './documents.repository.ts';

export const documentNotFound = () => documentsError('DOCUMENT_NOT_FOUND');

export interface DocumentActionDeps extends UploadFlowDeps {
  orm: ServiceOrm;
  scanning: VersionScanning;
}

/** Staff's documents: metadata, versions through presigned uploads, downloads and their log. */
export function documentActions(deps: DocumentActionDeps): Record<string, moleculer.ActionSchema> {
  const { store } = deps;
  const liveDocument = async (tx: ReturnType<DocumentsStore['read']>, documentId: string): Promise<Document> => {
    const document = await findDocument(tx, documentId, { forUpdate: true });
    if (!document) throw documentNotFound();
    if (document.archivedAt) throw documentsError('DOCUMENT_ARCHIVED');
    return document;
  };
  const reload = async (documentId: string) => (await findDocument(store.read(), documentId)) as Document;

  return {
    listDocuments: contractAction('documents.listDocuments', (args) => {
      if ((args.ownerId === undefined) !== (args.ownerKind === undefined)) {
        throw documentsError('OWNER_NOT_FOUND', { message: 'Give both ownerKind and ownerId, or neither.' });
      }
      return listDocumentPage(store.read(), args);
    }),

    createDocument: contractAction('documents.createDocument', async (input, ctx) => {
      const accountId = await accountOfOwner(ctx, input.owner);
      const sharedWith = input.sharing === 'contacts' ? input.sharedWithContactIds : [];
      await requireContactsOfAccount(ctx, accountId, sharedWith);
      const id = randomUUID();
      await store.change(async (tx) => {
        if (!(await findFileType(tx, input.fileTypeId))) throw fileTypeNotFound();
        await insertDocument(tx, {
          id,
          accountId,
          owner: input.owner,
          title: input.title,
          description: input.description ?? null,
          fileTypeId: input.fileTypeId,
          sharing: input.sharing,
          createdBy: callerOf(ctx).actor,
        });
        await replaceShares(tx, id, sharedWith);
        await recordEvent(
          tx,
          'documents.document.created',
          {
            documentId: id,
            accountId,
            owner: input.owner,
            title: input.title,
            fileTypeId: input.fileTypeId,
            sharing: input.sharing,
            sharedWithContactIds: sharedWith,
          },
          originOf(callerOf(ctx), accountId),
        );
      });
      return reload(id);
    }),

    getDocument: contractAction('documents.getDocument', async ({ documentId }) => {
      const document = await findDocument(store.read(), documentId);
      if (!document) throw documentNotFound();
      return document;
    }),

    updateDocument: contractAction('documents.updateDocument', async ({ documentId, ...patch }, ctx) => {
      const current = await findDocument(store.read(), documentId);
      if (!current) throw documentNotFound();
      const sharing = patch.sharing ?? current.sharing;
      const sharedWith = sharing === 'contacts' ? (patch.sharedWithContactIds ?? current.sharedWithContactIds) : [];
      await requireContactsOfAccount(ctx, current.accountId, sharedWith);
      await store.change(async (tx) => {
        const before = await liveDocument(tx, documentId);
        if (patch.fileTypeId !== undefined && !(await findFileType(tx, patch.fileTypeId))) throw fileTypeNotFound();
        const fileTypeId = patch.fileTypeId ?? before.fileTypeId;
        await updateDocumentRow(tx, {
          id: documentId,
          title: patch.title ?? before.title,
          description: patch.description === undefined ? before.description : patch.description,
          fileTypeId,
          sharing,
        });
        await replaceShares(tx, documentId, sharedWith);
        // Who may see it: audited (by event), like every access change.
        const access = (fileType: string, how: string, contacts: readonly string[]) => ({
          sharing: how,
          sharedWithContactIds: [...contacts].sort(),
          fileTypeId: fileType,
        });
        const changes = changedFields(
          access(before.fileTypeId, before.sharing, before.sharedWithContactIds),
          access(fileTypeId, sharing, sharedWith),
        );
        if (Object.keys(changes).length > 0) {
          await recordEvent(
            tx,
            'documents.document.sharing-changed',
            { documentId, accountId: before.accountId, owner: before.owner, title: before.title, changes },
            originOf(callerOf(ctx), before.accountId),
          );
        }
      });
      return reload(documentId);
    }),

    archiveDocument: contractAction('documents.archiveDocument', async ({ documentId }, ctx) => {
      await store.change(async (tx) => {
        const document = await findDocument(tx, documentId, { forUpdate: true });
        if (!document) throw documentNotFound();
        if (document.archivedAt) return;
        await archiveDocumentRow(tx, documentId);
        await recordEvent(
          tx,
          'documents.document.archived',
          { documentId, accountId: document.accountId, owner: document.owner, title: document.title },
          originOf(callerOf(ctx), document.accountId),
        );
      });
      return reload(documentId);
    }),

    listDocumentVersions: contractAction('documents.listDocumentVersions', async (args) => {
      const em = store.read();
      if (!(await findDocument(em, args.documentId))) throw documentNotFound();
      return listVersionPage(em, args);
    }),

    startDocumentUpload: contractAction('documents.startDocumentUpload', ({ documentId, ...declared }, ctx) =>
      store.change(async (tx) => {
        const document = await liveDocument(tx, documentId);
        const fileType = await findFileType(tx, document.fileTypeId);
        if (!fileType) throw fileTypeNotFound();
        return issueUploadTicket(deps, tx, {
          target: { documentId },
          fileType,
          ...declared,
          actor: callerOf(ctx).actor,
        });
      }),
    ),

    finalizeDocumentUpload: contractAction(
      'documents.finalizeDocumentUpload',
      async ({ documentId, uploadId, sha256 }, ctx) => {
        if (!(await findDocument(store.read(), documentId))) throw documentNotFound();
        const version = await acceptUpload(deps, {
          uploadId,
          target: { documentId },
          sha256,
          fileVersion: async (tx) => {
            await liveDocument(tx, documentId);
            return { documentId, requestId: null };
          },
        });
        const caller = callerOf(ctx);
        await deps.scanning.scan(version.id, {
          actor: caller.actor,
          requestId: caller.requestId,
          sourceAddress: caller.sourceIp,
        });
        return scannedVersion(deps, documentId, version.id);
      },
    ),

    createStaffDownloadLink: contractAction('documents.createStaffDownloadLink', ({ documentId, versionId }, ctx) =>
      store.change(async (tx) => {
        const document = await findDocument(tx, documentId);
        if (!document) throw documentNotFound();
        const version = await findVersion(tx, documentId, versionId);
        if (!version) throw documentsError('VERSION_NOT_FOUND');
        if (version.scan_state !== 'clean') throw documentsError('VERSION_QUARANTINED');
        return issueDownloadLink(tx, deps.storage, {
          accountId: document.accountId,
          version,
          caller: callerOf(ctx),
          ttlSeconds: deps.settings.downloadTtlSeconds,
        });
      }),
    ),

    listDownloads: contractAction('documents.listDownloads', (args) => listDownloadPage(store.read(), args)),

    exportDownloads: contractAction(
      'documents.exportDownloads',
      (filter) => downloadCsvExport(deps.orm, filter) as ActionResult<'documents.exportDownloads'>,
    ),
  };
}

async function scannedVersion(deps: DocumentActionDeps, documentId: string, versionId: string) {
  const version = await findVersion(deps.store.read(), documentId, versionId);
  if (!version) throw documentsError('VERSION_NOT_FOUND');
  return toVersion(version);
}
