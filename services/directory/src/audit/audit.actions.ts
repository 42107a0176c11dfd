import type { EntityManager } from '@mikro-orm/postgresql';
import type moleculer from 'moleculer';
import type { AuditEntry } from '@portal/contracts';
import { contractAction, pageFromRows } from '@portal/kit';
import { accountNotFound } from '../accounts/accounts.actions.ts';
import { findAccount } from '../accounts/accounts.repository.ts';
import { contactNotFound } from '../contacts/contacts.actions.ts';
import { findContact } from '../contacts/contacts.repository.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import { isoOf, type SqlTimestamp, keysetAfter } from '../persistence/sql-values.ts';

interface AuditRow {
  id: string;
  occurred_at: SqlTimestamp;
  actor: unknown;
  source_ip: string | null;
  request_id: string | null;
  account_id: string | null;
  contact_id: string | null;
  entity: AuditEntry['entity'];
  entity_id: string;
  action: string;
  changes: AuditEntry['changes'];
}

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: String(row.id),
    occurredAt: isoOf(row.occurred_at),
    actor: row.actor,
    sourceIp: row.source_ip,
    requestId: row.request_id,
    accountId: row.account_id,
    contactId: row.contact_id,
    entity: row.entity,
    entityId: row.entity_id,
    action: row.action,
    changes: row.changes,
  };
}

/** Newest first, keyed by the entry's sequence number (its partial indexes serve both filters). */
async function auditPage(
  em: EntityManager,
  filter: { column: 'contact_id' | 'account_id'; value: string },
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const before = page.cursor ? (keysetAfter(page.cursor, 1, 'serial')[0] ?? null) : null;
  const rows = await em.execute<AuditRow[]>(
    `select id::text as id, occurred_at, actor, source_ip, request_id, account_id, contact_id, entity, entity_id,
       action, changes
     from audit_entry where ${filter.column} = ?${before !== null ? ' and id < ?::bigint' : ''}
     order by id desc limit ?`,
    [filter.value, ...(before !== null ? [before] : []), page.limit + 1],
  );
  return pageFromRows(rows, page.limit, toAuditEntry, (row) => [String(row.id)]);
}

export function auditActions(store: DirectoryStore): Record<string, moleculer.ActionSchema> {
  return {
    listContactAudit: contractAction('directory.listContactAudit', async ({ contactId, limit, cursor }) => {
      const em = store.read();
      if (!(await findContact(em, contactId))) throw contactNotFound();
      return auditPage(em, { column: 'contact_id', value: contactId }, { limit, cursor });
    }),

    listAccountAudit: contractAction('directory.listAccountAudit', async ({ accountId, limit, cursor }) => {
      const em = store.read();
      if (!(await findAccount(em, accountId))) throw accountNotFound();
      return auditPage(em, { column: 'account_id', value: accountId }, { limit, cursor });
    }),
  };
}
