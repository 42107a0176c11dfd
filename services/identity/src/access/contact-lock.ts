import type { ServiceOrm } from '@portal/kit';

/**
 * One access operation per contact at a time. Each operation reads the contact's status, changes
 * Keycloak, then moves the directory's status: two at once (a double click, two staff members, two
 * replicas) would both pass the check, and the second would meet a Keycloak user the first just
 * made ("User exists with same email") or send a second invitation. Operations on one contact
 * queue in this process, and a PostgreSQL advisory lock (identity's own database) orders them across
 * replicas; a waiting operation then sees the status the first one left.
 */
export function contactLocks(orm: ServiceOrm) {
  const queued = new Map<string, Promise<unknown>>();
  return async function exclusively<T>(contactId: string, work: () => Promise<T>): Promise<T> {
    const previous = queued.get(contactId) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() =>
        orm.em.fork().transactional(async (em) => {
          await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`identity.access:${contactId}`]);
          return work();
        }),
      );
    queued.set(contactId, run);
    try {
      return await run;
    } finally {
      if (queued.get(contactId) === run) queued.delete(contactId);
    }
  };
}
