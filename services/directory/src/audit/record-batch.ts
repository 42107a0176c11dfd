import type { EntityManager } from '@mikro-orm/postgresql';
import { eventContracts, type EventData, type EventEnvelope, type EventType } from '@portal/contracts';
import { createEnvelope, outboxChannelOf, subjectOf, type CallerMeta } from '@portal/kit';
import type { AuditRecord } from './audit-trail.ts';

// Set-based writes for imports: each statement takes a whole batch as one jsonb parameter and
// expands it with jsonb_to_recordset (em.execute inlines `?` values, so arrays cannot be bound as
// PostgreSQL arrays). Same rows as `recordChange`, a few statements per batch instead of two per change.

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

/** The envelope `recordEvent` writes, built ahead so a batch's events go to the outbox in one statement. */
export function importEvent<E extends EventType>(
  caller: CallerMeta,
  jobId: string,
  event: { type: E; data: EventData<E>; accountId?: string },
): EventEnvelope<unknown> {
  const contract = eventContracts[event.type];
  return createEnvelope({
    type: event.type,
    version: contract.version,
    data: contract.data.parse(event.data),
    actor: caller.actor,
    ...(event.accountId === undefined ? {} : { accountId: event.accountId }),
    // Without a request id, the import job ties its events together.
    traceId: caller.requestId ?? jobId,
  });
}

/**
 * The batch's durable events in one statement, with one wake-up for the relay. Same rows as the
 * kit's `appendToOutbox`, which costs two round trips per event: too many for 100k contacts.
 * (To be replaced by the kit's batch append once it lands.)
 */
export async function appendEventsToOutbox(tx: EntityManager, envelopes: EventEnvelope<unknown>[]): Promise<void> {
  if (envelopes.length === 0) return;
  await tx.execute(
    `insert into outbox (id, type, subject, envelope)
     select e.id, e.type, e.subject, e.envelope
     from jsonb_to_recordset(?::jsonb) as e(id uuid, type text, subject text, envelope jsonb)`,
    [
      JSON.stringify(
        envelopes.map((envelope) => ({
          id: envelope.id,
          type: envelope.type,
          subject: subjectOf(envelope),
          envelope,
        })),
      ),
    ],
  );
  await tx.execute(`select pg_notify(? || current_schema(), '')`, [outboxChannelOf('')]);
}
