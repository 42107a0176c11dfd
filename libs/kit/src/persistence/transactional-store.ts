import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainError } from '../errors/domain-error.ts';
import type { ServiceOrm } from '../orm/service-orm.ts';

/** What a service's actions need from persistence: reads on a fresh fork, changes in one transaction. */
export interface TransactionalStore {
  read(): EntityManager;
  /** Runs `work` in one transaction: the change, its audit entry and its event commit together or not at all. */
  change<T>(work: (tx: EntityManager) => Promise<T>): Promise<T>;
}

/**
 * A store over the service's ORM. A violated constraint named in `constraintErrors` becomes its
 * stable error: the constraint is the authority (no check-then-insert race), and this is the one
 * place its name becomes a code.
 */
export function transactionalStoreOf(
  orm: ServiceOrm,
  constraintErrors: Readonly<Record<string, () => DomainError>> = {},
): TransactionalStore {
  const translate = (error: unknown): unknown => {
    const constraint = (error as { constraint?: unknown } | null)?.constraint;
    const known = typeof constraint === 'string' ? constraintErrors[constraint] : undefined;
    return known ? known() : error;
  };
  return {
    read: () => orm.em.fork(),
    async change(work) {
      try {
        return await orm.em.fork().transactional(work);
      } catch (error) {
        throw translate(error);
      }
    },
  };
}
