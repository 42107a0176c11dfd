import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { DocumentVersion } from '@portal/contracts';
import { callAction } from '../../shared/api/action-client.ts';
import { uploadFile, type FileLimits, type UploadProgress } from '../../shared/files/upload-file.ts';

/** What a new version refreshes: the lists and pages that show a document's versions. */
export const documentChangeInvalidates = [
  'documents.listDocuments',
  'documents.getDocument',
  'documents.listDocumentVersions',
] as const;

/**
 * Sends a file as a new version of a staff document (start, PUT, finalize), with its progress; an
 * upload still running when the dialog closes is stopped. Whatever the outcome, the document's
 * views refetch (a failed finalize may still have changed the document's versions).
 */
export function useVersionUpload() {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [pending, setPending] = useState(false);
  const running = useRef<AbortController | null>(null);
  useEffect(() => () => running.current?.abort(), []);

  async function upload(documentId: string, file: File, limits: FileLimits | undefined): Promise<DocumentVersion> {
    const controller = new AbortController();
    running.current = controller;
    setPending(true);
    setProgress(null);
    try {
      return await uploadFile({
        file,
        limits,
        signal: controller.signal,
        onProgress: setProgress,
        start: (request) => callAction('documents.startDocumentUpload', { documentId, ...request }, controller.signal),
        finalize: (uploadId) => callAction('documents.finalizeDocumentUpload', { documentId, uploadId }),
      });
    } finally {
      running.current = null;
      setPending(false);
      await Promise.all(
        documentChangeInvalidates.map((action) => queryClient.invalidateQueries({ queryKey: [action] })),
      );
    }
  }

  return { upload, progress, pending, reset: () => setProgress(null) };
}
