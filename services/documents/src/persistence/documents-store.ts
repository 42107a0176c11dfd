import { transactionalStoreOf, type ServiceOrm, type TransactionalStore } from '@portal/kit';
import { documentsError } from '../errors.ts';

/** The documents service's persistence: reads on a fresh fork, changes in one transaction. */
export type DocumentsStore = TransactionalStore;

export function documentsStoreOf(orm: ServiceOrm): DocumentsStore {
  return transactionalStoreOf(orm, { file_type_code_key: () => documentsError('FILE_TYPE_CODE_TAKEN') });
}
