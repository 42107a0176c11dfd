import type { EntityManager } from '@mikro-orm/postgresql';
import type { CallerMeta, EventOrigin } from '@portal/kit';
import type { AuditRecord } from './audit-trail.ts';

// Set-based writes for imports: each statement takes a whole batch as one jsonb parameter and
// expands it with jsonb_to_recordset (em.execute inlines `?` values, so arrays cannot be bound as
// PostgreSQL arrays). Same rows as `recordChange`, one statement per batch instead of one per change.

/** The batch's audit entries in one statement, in order; same columns as `recordAudit`. */
export async function recordAuditBatch(tx: EntityManager, caller: CallerMeta, entries: AuditRecord[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.execute(
    `insert into audit_entry (actor, source_ip, request_id, account_id, contact_id, entity, entity_id, action, changes)
     select ?::jsonb, ?, ?, e.account_id, e.contact_id, e.entity, e.entity_id, e.action, e.changes
     from jsonb_to_recordset(?::jsonb) as e(account_id uuid, contact_id uuid, entity text, entity_id text,
       action text, changes jsonb, ordinality int)
     order by e.ordinality`,
    [
      JSON.stringify(caller.actor),
      caller.sourceIp,
      caller.requestId,
      JSON.stringify(
        entries.map((entry, ordinality) => ({
          account_id: entry.accountId,
          contact_id: entry.contactId ?? null,
          entity: entry.entity,
          entity_id: entry.entityId,
          action: entry.action,
          changes: entry.changes,
          ordinality,
        })),
      ),
    ],
  );
}

/**
 * Where an import's events come from: the request that started it, or, with none, the job that
 * ties its events together. The events themselves go through the kit's batch append (`recordEvents`).
 */
export function importEventOrigin(caller: CallerMeta, jobId: string): EventOrigin {
  return {
    actor: caller.actor,
    traceId: caller.requestId ?? jobId,
    requestId: caller.requestId,
    sourceAddress: caller.sourceIp,
  };
}
