import { transactionalStoreOf, type ServiceOrm, type TransactionalStore } from '@portal/kit';
import { submittalsError } from '../errors.ts';

/** The submittals service's persistence: reads on a fresh fork, changes in one transaction. */
export type SubmittalsStore = TransactionalStore;

export function submittalsStoreOf(orm: ServiceOrm): SubmittalsStore {
  // Two next revisions of one submittal, raced: the unique link refuses the second.
  return transactionalStoreOf(orm, {
    submittal_previous_revision_id_key: () => submittalsError('REVISION_NOT_ALLOWED'),
  });
}
