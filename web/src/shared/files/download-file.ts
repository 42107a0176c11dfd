import type { ActionName } from '@portal/contracts';
import { useActionMutation } from '../api/queries.ts';

/** A presigned GET from a download-link action: `{ url, fileName, expiresAt }`. */
export interface DownloadLink {
  url: string;
  fileName: string;
  expiresAt: string;
}

/**
 * Opens a download link. The object store answers it with `Content-Disposition: attachment`, so
 * the browser saves the file and the page stays where it is (no new tab, no blob in memory).
 */
export function openDownloadLink(link: DownloadLink): void {
  window.location.assign(link.url);
}

/** The actions that hand out a version's download link, staff's and the portal's (same params). */
export type DownloadLinkAction = 'documents.createStaffDownloadLink' | 'documents.createPortalDownloadLink';

/**
 * A version's "Download" button behind one mutation: asks the action for a link (which logs the
 * download), then opens it. `invalidates` refreshes views of the log (staff's Downloads tab).
 * `mutate({ documentId, versionId })`; `error` is the refusal to show (e.g. VERSION_QUARANTINED).
 */
export function useDownloadVersion(action: DownloadLinkAction, options: { invalidates?: readonly ActionName[] } = {}) {
  return useActionMutation(action, {
    invalidates: options.invalidates,
    onSuccess: (link) => openDownloadLink(link),
  });
}
