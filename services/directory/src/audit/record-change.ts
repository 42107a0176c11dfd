import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessScope, EventData, EventType } from '@portal/contracts';
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

/**
 * A change of what a contact may see: the scope itself, or its site under a live login. One audit
 * entry (entity `access-scope`) and one `directory.access-scope.changed` carrying the scope now in force.
 */
export function recordScopeChange(
  tx: EntityManager,
  caller: CallerMeta,
  change: { contactId: string; accountId: string; changes: AuditRecord['changes']; scope: AccessScope },
): Promise<void> {
  const { contactId, accountId, changes, scope } = change;
  return recordChange(
    tx,
    caller,
    { entity: 'access-scope', entityId: contactId, action: 'scope-changed', accountId, contactId, changes },
    { type: 'directory.access-scope.changed', data: { contactId, accountId, scope } },
  );
}
