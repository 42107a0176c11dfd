import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceOrm } from '@portal/kit';
import { documentsError } from '../errors.ts';

/** What the documents service's actions need from persistence: reads on a fresh fork, changes in one transaction. */
export interface DocumentsStore {
  read(): EntityManager;
  /** Runs `work` in one transaction: the change and its events commit together or not at all. */
  change<T>(work: (tx: EntityManager) => Promise<T>): Promise<T>;
}

export function documentsStoreOf(orm: ServiceOrm): DocumentsStore {
  return {
    read: () => orm.em.fork(),
    async change(work) {
      try {
        return await orm.em.fork().transactional(work);
      } catch (error) {
        throw translateConstraintError(error);
      }
    },
  };
}

/** Unique constraints that mean a client conflict, by constraint name. */
function translateConstraintError(error: unknown): unknown {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code === '23505' && constraint === 'file_type_code_key') return documentsError('FILE_TYPE_CODE_TAKEN');
  return error;
}
