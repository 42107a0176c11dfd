import type { ActionName } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';

/** What marking a customer's submittal processed refreshes: the project's list, the queue (and the nav's count). */
export const incomingChangeInvalidates: readonly ActionName[] = [
  'submittals.listIncomingSubmittals',
  'submittals.getIncomingSubmittal',
  'submittals.listIncomingQueue',
];

/**
 * The queue's first 100 projects, for the navigation's count (the API counts nothing across
 * pages, so more projects than that read "+"). Shares its action's key, so marking one processed
 * refreshes the count too.
 */
export const incomingQueueQuery = () => ({
  ...actionQuery('submittals.listIncomingQueue', { limit: 100 }),
  staleTime: 60_000,
});
