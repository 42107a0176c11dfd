import type moleculer from 'moleculer';
import type { DescribedVersion } from '@portal/contracts';
import { callerOf, contractAction, sqlArray } from '@portal/kit';
import { issueDownloadLink } from '../downloads/download-link.ts';
import { documentsError } from '../errors.ts';
import type { VersionRow } from '../persistence/rows.ts';
import type { DocumentActionDeps } from './documents.actions.ts';
import { findVersionById } from './documents.repository.ts';

type DescribedRow = VersionRow & {
  account_id: string;
  owner_kind: DescribedVersion['owner']['kind'];
  owner_id: string;
  archived: boolean;
};

/**
 * Internal actions for the submittals service, which attaches document versions to submittals
 * and lets the contacts who see a submittal download its files: the submittal is the authority
 * for that download (sending it shares its files), so this service checks only that the version
 * is clean, and logs the download with the calling contact.
 */
export function versionLinkActions(deps: DocumentActionDeps): Record<string, moleculer.ActionSchema> {
  const { store } = deps;
  return {
    describeVersions: contractAction('documents.describeVersions', async ({ versionIds }) => {
      if (versionIds.length === 0) return [];
      const rows = await store.read().execute<DescribedRow[]>(
        `select v.*, d.account_id, d.owner_kind, d.owner_id, d.archived_at is not null as archived
         from document_version v join document d on d.id = v.document_id
         where v.id = any(?::uuid[])`,
        [sqlArray(versionIds)],
      );
      return rows.map((row) => ({
        versionId: row.id,
        documentId: row.document_id,
        accountId: row.account_id,
        owner: { kind: row.owner_kind, id: row.owner_id },
        fileName: row.file_name,
        sizeBytes: Number(row.size_bytes),
        contentType: row.content_type as DescribedVersion['contentType'],
        scanState: row.scan_state,
        uploadedBy: row.uploaded_by,
        documentArchived: row.archived,
      }));
    }),

    issueVersionDownloadLink: contractAction('documents.issueVersionDownloadLink', ({ versionId }, ctx) =>
      store.change(async (tx) => {
        const version = await findVersionById(tx, versionId);
        if (!version) throw documentsError('VERSION_NOT_FOUND');
        if (version.scan_state !== 'clean') throw documentsError('VERSION_QUARANTINED');
        const [document] = await tx.execute<{ account_id: string }[]>('select account_id from document where id = ?', [
          version.document_id,
        ]);
        return issueDownloadLink(tx, deps.storage, {
          accountId: (document as { account_id: string }).account_id,
          version,
          caller: callerOf(ctx),
          ttlSeconds: deps.settings.downloadTtlSeconds,
        });
      }),
    ),
  };
}
