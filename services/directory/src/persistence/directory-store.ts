import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceOrm } from '@portal/kit';
import { translateConstraintError } from './constraint-errors.ts';

/** What the directory's actions need from persistence: reads on a fresh fork, changes in one transaction. */
export interface DirectoryStore {
  read(): EntityManager;
  /** Runs `work` in one transaction: the change, its audit entry and its event commit together or not at all. */
  change<T>(work: (tx: EntityManager) => Promise<T>): Promise<T>;
}

export function directoryStoreOf(orm: ServiceOrm): DirectoryStore {
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
