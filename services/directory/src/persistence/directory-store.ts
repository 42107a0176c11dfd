import { transactionalStoreOf, type ServiceOrm, type TransactionalStore } from '@portal/kit';
import { constraintErrors } from './constraint-errors.ts';

/** What the directory's actions need from persistence: reads on a fresh fork, changes in one transaction. */
export type DirectoryStore = TransactionalStore;

export function directoryStoreOf(orm: ServiceOrm): DirectoryStore {
  return transactionalStoreOf(orm, constraintErrors);
}
