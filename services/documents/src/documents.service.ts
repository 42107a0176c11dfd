import type moleculer from 'moleculer';
import { statusActionOf, type DurableStatus, type ReadinessCheck } from '@portal/kit';
import { documentActions, type DocumentActionDeps } from './documents/documents.actions.ts';
import { versionLinkActions } from './documents/version-links.actions.ts';
import { fileTypeActions } from './file-types/file-types.actions.ts';
import { portalDocumentActions } from './portal/portal-documents.actions.ts';
import { projectUploadActions } from './portal/project-uploads.actions.ts';
import { requestActions } from './requests/requests.actions.ts';
import { serviceVersion } from './version.ts';

/** File types, documents and versions in S3, presigned transfer, the download log and document requests. */
export function documentsService(
  deps: DocumentActionDeps,
  readiness: Record<string, ReadinessCheck>,
  durableStatus?: () => Promise<DurableStatus>,
): moleculer.ServiceSchema {
  return {
    name: 'documents',
    actions: {
      status: statusActionOf('documents', readiness, serviceVersion, durableStatus),
      ...fileTypeActions(deps.store),
      ...documentActions(deps),
      ...requestActions(deps.store),
      ...portalDocumentActions(deps),
      ...projectUploadActions(deps),
      ...versionLinkActions(deps),
    },
  };
}
