import type moleculer from 'moleculer';
import type { DescribedVersion, SubmittalFile } from '@portal/contracts';
import { call } from '@portal/kit';
import { submittalsError } from '../errors.ts';

/**
 * Files are document versions held by the documents service: it describes them, this service
 * decides whether they may be attached. A refusal names every unusable id.
 */
async function usableFiles(
  ctx: moleculer.Context,
  versionIds: readonly string[],
  usable: (version: DescribedVersion) => boolean,
): Promise<SubmittalFile[]> {
  if (versionIds.length === 0) return [];
  const described = new Map(
    (await call(ctx, 'documents.describeVersions', { versionIds: [...versionIds] })).map((v) => [v.versionId, v]),
  );
  const refused = versionIds.filter((id) => {
    const version = described.get(id);
    return !version || version.scanState !== 'clean' || version.documentArchived || !usable(version);
  });
  if (refused.length > 0) throw submittalsError('VERSIONS_NOT_USABLE', { details: { versionIds: refused } });
  return versionIds.map((id) => {
    const version = described.get(id) as DescribedVersion;
    return {
      versionId: id,
      documentId: version.documentId,
      fileName: version.fileName,
      sizeBytes: version.sizeBytes,
      contentType: version.contentType,
    };
  });
}

/** Staff attach clean versions of any live document of the project's account. */
export function staffFiles(ctx: moleculer.Context, versionIds: readonly string[], accountId: string) {
  return usableFiles(ctx, versionIds, (version) => version.accountId === accountId);
}

/** A contact sends only what it uploaded itself to this project. */
export function contactFiles(
  ctx: moleculer.Context,
  versionIds: readonly string[],
  by: { projectId: string; contactId: string },
) {
  return usableFiles(
    ctx,
    versionIds,
    (version) =>
      version.owner.kind === 'project' &&
      version.owner.id === by.projectId &&
      version.uploadedBy.kind === 'contact' &&
      version.uploadedBy.contactId === by.contactId,
  );
}
