import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEntry } from '@portal/contracts';
import type { CallerMeta } from '@portal/kit';

export type AuditChanges = AuditEntry['changes'];

export interface AuditRecord {
  entity: AuditEntry['entity'];
  entityId: string;
  /** What happened, e.g. `created`, `updated`, `archived`, `scope-changed`, `access-enabled`. */
  action: string;
  accountId: string | null;
  contactId?: string | null;
  changes: AuditChanges;
}

/**
 * Appends to the audit trail inside the caller's transaction: the entry exists if and only if the
 * change does. Who, when (database clock), what, from where.
 */
export async function recordAudit(em: EntityManager, caller: CallerMeta, record: AuditRecord): Promise<void> {
  await em.execute(
    `insert into audit_entry (actor, source_ip, request_id, account_id, contact_id, entity, entity_id, action, changes)
     values (?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)`,
    [
      JSON.stringify(caller.actor),
      caller.sourceIp,
      caller.requestId,
      record.accountId,
      record.contactId ?? null,
      record.entity,
      record.entityId,
      record.action,
      JSON.stringify(record.changes),
    ],
  );
}

/** The fields whose values differ, as `{ field: { from, to } }`; compares by JSON value. */
export function changesBetween<T extends Record<string, unknown>>(
  before: T | null,
  after: T,
  fields: readonly (keyof T & string)[],
): AuditChanges {
  const changes: AuditChanges = {};
  for (const field of fields) {
    const from = before ? (before[field] ?? null) : null;
    const to = after[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}
