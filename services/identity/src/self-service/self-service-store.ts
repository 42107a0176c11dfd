import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceOrm } from '@portal/kit';

/** Reads on a fresh fork; a change, its counters and its events in one transaction. */
export interface SelfServiceStore {
  read(): EntityManager;
  change<T>(work: (tx: EntityManager) => Promise<T>): Promise<T>;
}

export function selfServiceStoreOf(orm: ServiceOrm): SelfServiceStore {
  return {
    read: () => orm.em.fork(),
    change: (work) => orm.em.fork().transactional(work),
  };
}
