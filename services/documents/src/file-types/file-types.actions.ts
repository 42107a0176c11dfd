import type moleculer from 'moleculer';
import { contractAction } from '@portal/kit';
import { documentsError } from '../errors.ts';
import type { DocumentsStore } from '../persistence/documents-store.ts';
import { findFileType, insertFileType, listFileTypePage, updateFileTypeRow } from './file-types.repository.ts';

export const fileTypeNotFound = () => documentsError('FILE_TYPE_NOT_FOUND');

/** File types: which files a kind of document accepts, and whether customers see it. */
export function fileTypeActions(store: DocumentsStore): Record<string, moleculer.ActionSchema> {
  return {
    listFileTypes: contractAction('documents.listFileTypes', (args) => listFileTypePage(store.read(), args)),

    createFileType: contractAction('documents.createFileType', (input) =>
      store.change((tx) =>
        insertFileType(tx, { ...input, allowedContentTypes: [...new Set(input.allowedContentTypes)] }),
      ),
    ),

    updateFileType: contractAction('documents.updateFileType', ({ fileTypeId, ...patch }) =>
      store.change(async (tx) => {
        const before = await findFileType(tx, fileTypeId);
        if (!before) throw fileTypeNotFound();
        const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
        const next = { ...before, ...defined };
        return updateFileTypeRow(tx, { ...next, allowedContentTypes: [...new Set(next.allowedContentTypes)] });
      }),
    ),
  };
}
