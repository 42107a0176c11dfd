import type { EntityManager } from '@mikro-orm/postgresql';
import type moleculer from 'moleculer';
import type { FileType } from '@portal/contracts';
import { callerOf, contractAction, recordEvent } from '@portal/kit';
import { documentsError } from '../errors.ts';
import type { DocumentsStore } from '../persistence/documents-store.ts';
import { changedFields, originOf } from '../persistence/event-origin.ts';
import { findFileType, insertFileType, listFileTypePage, updateFileTypeRow } from './file-types.repository.ts';

export const fileTypeNotFound = () => documentsError('FILE_TYPE_NOT_FOUND');

const auditedFields = (fileType: FileType) => ({
  code: fileType.code,
  name: fileType.name,
  customerVisible: fileType.customerVisible,
  allowedContentTypes: fileType.allowedContentTypes,
  maxSizeBytes: fileType.maxSizeBytes,
});

/** A file type decides what customers may see: its changes go to the audit trail (by event). */
async function recordFileTypeChange(
  tx: EntityManager,
  ctx: moleculer.Context,
  before: FileType | null,
  after: FileType,
): Promise<void> {
  const changes = changedFields(before && auditedFields(before), auditedFields(after));
  if (Object.keys(changes).length === 0) return;
  await recordEvent(
    tx,
    'documents.file-type.changed',
    { fileTypeId: after.id, code: after.code, changes },
    originOf(callerOf(ctx)),
  );
}

/** File types: which files a kind of document accepts, and whether customers see it. */
export function fileTypeActions(store: DocumentsStore): Record<string, moleculer.ActionSchema> {
  return {
    listFileTypes: contractAction('documents.listFileTypes', (args) => listFileTypePage(store.read(), args)),

    createFileType: contractAction('documents.createFileType', (input, ctx) =>
      store.change(async (tx) => {
        const created = await insertFileType(tx, {
          ...input,
          allowedContentTypes: [...new Set(input.allowedContentTypes)],
        });
        await recordFileTypeChange(tx, ctx, null, created);
        return created;
      }),
    ),

    updateFileType: contractAction('documents.updateFileType', ({ fileTypeId, ...patch }, ctx) =>
      store.change(async (tx) => {
        const before = await findFileType(tx, fileTypeId);
        if (!before) throw fileTypeNotFound();
        const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
        const next = { ...before, ...defined };
        const updated = await updateFileTypeRow(tx, {
          ...next,
          allowedContentTypes: [...new Set(next.allowedContentTypes)],
        });
        await recordFileTypeChange(tx, ctx, before, updated);
        return updated;
      }),
    ),
  };
}
