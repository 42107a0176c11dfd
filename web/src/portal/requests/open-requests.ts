import { actionQuery } from '../../shared/api/queries.ts';

/**
 * The open requests, for the navigation's badge: one page of up to 100 (the API counts nothing),
 * so more than that reads "100+". It shares its action's key, so an upload that invalidates the
 * request lists refreshes the badge too.
 */
export const openRequestsQuery = () => ({
  ...actionQuery('documents.listPortalDocumentRequests', { status: 'open', limit: 100 }),
  staleTime: 60_000,
});
