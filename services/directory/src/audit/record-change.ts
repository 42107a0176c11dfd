import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventData, EventType } from '@portal/contracts';
import { recordEvent, type CallerMeta } from '@portal/kit';
import { recordAudit, type AuditRecord } from './audit-trail.ts';

/**
 * Every directory change leaves two traces in its own transaction: an audit entry (who, when,
 * what, from where) and a durable event for the other services.
 */
export async function recordChange<E extends EventType>(
  tx: EntityManager,
  caller: CallerMeta,
  audit: AuditRecord,
  event: { type: E; data: EventData<E> },
): Promise<void> {
  await recordAudit(tx, caller, audit);
  await recordEvent(tx, event.type, event.data, {
    actor: caller.actor,
    traceId: caller.requestId,
    requestId: caller.requestId,
    sourceAddress: caller.sourceIp,
    accountId: audit.accountId,
  });
}
