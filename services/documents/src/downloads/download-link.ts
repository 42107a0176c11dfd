import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { downloadLinkSchema } from '@portal/contracts';
import type { CallerMeta } from '@portal/kit';
import type { ObjectStorage } from '../adapters/object-storage.adapter.ts';
import { attachmentDisposition } from '../domain/file-name.rules.ts';
import type { VersionRow } from '../persistence/rows.ts';
import { logDownload } from './downloads.repository.ts';

/**
 * Logs the download and answers a presigned GET of a clean version as an attachment under its
 * sanitised name. Callers have checked that the caller may see the document and that the version
 * is clean; the log row commits with the caller's transaction.
 */
export async function issueDownloadLink(
  tx: EntityManager,
  storage: ObjectStorage,
  input: { accountId: string; version: VersionRow; caller: CallerMeta; ttlSeconds: number },
): Promise<z.infer<typeof downloadLinkSchema>> {
  const { version } = input;
  await logDownload(tx, {
    documentId: version.document_id,
    versionId: version.id,
    accountId: input.accountId,
    caller: input.caller,
  });
  return {
    url: storage.presignGet(
      version.object_key,
      attachmentDisposition(version.file_name),
      version.content_type,
      input.ttlSeconds,
    ),
    fileName: version.file_name,
    expiresAt: new Date(Date.now() + input.ttlSeconds * 1000).toISOString(),
  };
}
