import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, ContactImport } from '@portal/contracts';
import type { CallerMeta } from '@portal/kit';
import type { AuditChanges } from '../audit/audit-trail.ts';
import { isoOf, isoOrNull, type SqlTimestamp } from '../persistence/sql-values.ts';
import type { ImportedContactFields, RejectedRow } from './contact-csv.rules.ts';

// Set-based SQL: each statement takes a whole batch as one jsonb parameter and expands it with
// jsonb_to_recordset (em.execute inlines `?` values, so arrays cannot be bound as PostgreSQL arrays).

interface ContactImportRow {
  id: string;
  status: ContactImport['status'];
  total_rows: number | null;
  processed_rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: RejectedRow[];
  failure: string | null;
  started_at: SqlTimestamp;
  finished_at: SqlTimestamp | null;
}

function toContactImport(row: ContactImportRow): ContactImport {
  return {
    id: row.id,
    status: row.status,
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    errors: row.errors,
    failure: row.failure,
    startedAt: isoOf(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
  };
}

export async function insertImportJob(em: EntityManager, actor: Actor): Promise<ContactImport> {
  const rows = await em.execute<ContactImportRow[]>(
    `insert into contact_import (id, status, actor) values (?, 'running', ?::jsonb) returning *`,
    [randomUUID(), JSON.stringify(actor)],
  );
  return toContactImport(rows[0]!);
}

/** A running job without progress for this long lost its process (a restart, a crash): it is failed, not left running. */
export const stalledImportAfterSeconds = 600;

export async function failStalledImports(em: EntityManager, id?: string): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `update contact_import set status = 'failed', finished_at = now(),
       failure = 'The import stopped making progress (the directory service restarted or crashed); import the file again: rows already imported count as unchanged.'
     where status = 'running' and progressed_at < now() - make_interval(secs => ?)${id ? ' and id = ?' : ''}
     returning id`,
    id ? [stalledImportAfterSeconds, id] : [stalledImportAfterSeconds],
  );
  return rows.length;
}

export async function findImportJob(em: EntityManager, id: string): Promise<ContactImport | null> {
  await failStalledImports(em, id);
  const rows = await em.execute<ContactImportRow[]>('select * from contact_import where id = ?', [id]);
  return rows[0] ? toContactImport(rows[0]) : null;
}

export interface BatchCounts {
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** Adds a batch's counts and (capped) errors to the job, in the batch's own transaction. */
export async function recordBatchProgress(
  tx: EntityManager,
  id: string,
  counts: BatchCounts,
  errors: readonly RejectedRow[],
): Promise<void> {
  await tx.execute(
    `update contact_import set processed_rows = processed_rows + ?, created = created + ?, updated = updated + ?,
       unchanged = unchanged + ?, rejected = rejected + ?, errors = errors || ?::jsonb, progressed_at = now()
     where id = ?`,
    [counts.processed, counts.created, counts.updated, counts.unchanged, counts.rejected, JSON.stringify(errors), id],
  );
}

export async function finishImportJob(
  em: EntityManager,
  id: string,
  outcome: { status: 'completed' } | { status: 'failed'; failure: string; error: RejectedRow },
): Promise<void> {
  const failed = outcome.status === 'failed';
  await em.execute(
    `update contact_import set status = ?, failure = ?, errors = errors || ?::jsonb,
       total_rows = case when ? then total_rows else processed_rows end, finished_at = now()
     where id = ? and status = 'running'`,
    [outcome.status, failed ? outcome.failure : null, JSON.stringify(failed ? [outcome.error] : []), failed, id],
  );
}

export interface ImportAccount {
  id: string;
  number: string;
  archived: boolean;
  autoSendInvite: boolean;
}

/** Accounts by lower-cased number. */
export async function findAccountsByNumber(tx: EntityManager, numbers: string[]): Promise<Map<string, ImportAccount>> {
  const rows = await tx.execute<
    { id: string; number: string; archived: boolean; auto_send_invite: boolean | null; key: string }[]
  >(
    `select a.id, a.number, a.archived_at is not null as archived, c.auto_send_invite, lower(a.number) as key
     from account a left join account_class c on c.id = a.class_id
     where lower(a.number) in (select value from jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(numbers)],
  );
  return new Map(
    rows.map((row) => [
      row.key,
      { id: row.id, number: row.number, archived: row.archived, autoSendInvite: row.auto_send_invite ?? false },
    ]),
  );
}

export interface ImportSite {
  id: string;
  archived: boolean;
}

export const siteKeyOf = (accountId: string, code: string) => `${accountId}\u0000${code.toLowerCase()}`;

/** Sites by `siteKeyOf(account, code)`. */
export async function findSitesByCode(
  tx: EntityManager,
  pairs: { account_id: string; code: string }[],
): Promise<Map<string, ImportSite>> {
  if (pairs.length === 0) return new Map();
  const rows = await tx.execute<{ id: string; account_id: string; code: string; archived: boolean }[]>(
    `select s.id, s.account_id, s.code, s.archived_at is not null as archived
     from site s join jsonb_to_recordset(?::jsonb) as k(account_id uuid, code text)
       on s.account_id = k.account_id and lower(s.code) = lower(k.code)`,
    [JSON.stringify(pairs)],
  );
  return new Map(rows.map((row) => [siteKeyOf(row.account_id, row.code), { id: row.id, archived: row.archived }]));
}

export type ExistingContact = ImportedContactFields & {
  id: string;
  accountId: string;
  email: string;
};

export const contactKeyOf = (accountId: string, email: string) => `${accountId}\u0000${email}`;

/** The live contacts matching (account, e-mail), locked until the batch commits; by `contactKeyOf`. */
export async function lockContactsByEmail(
  tx: EntityManager,
  keys: { account_id: string; email: string }[],
): Promise<Map<string, ExistingContact>> {
  if (keys.length === 0) return new Map();
  const rows = await tx.execute<
    {
      id: string;
      account_id: string;
      site_id: string | null;
      first_name: string;
      last_name: string;
      email: string;
      phone: string | null;
      title: string | null;
    }[]
  >(
    `select c.id, c.account_id, c.site_id, c.first_name, c.last_name, c.email, c.phone, c.title
     from contact c join jsonb_to_recordset(?::jsonb) as k(account_id uuid, email text)
       on c.account_id = k.account_id and c.email = k.email
     where c.archived_at is null
     order by c.id
     for update of c`,
    [JSON.stringify(keys)],
  );
  return new Map(
    rows.map((row) => [
      contactKeyOf(row.account_id, row.email),
      {
        id: row.id,
        accountId: row.account_id,
        email: row.email,
        siteId: row.site_id,
        firstName: row.first_name,
        lastName: row.last_name,
        phone: row.phone,
        title: row.title,
      },
    ]),
  );
}

export interface ContactWrite extends ImportedContactFields {
  id: string;
  accountId: string;
  email: string;
}

const contactColumns = (contact: ContactWrite) => ({
  id: contact.id,
  account_id: contact.accountId,
  site_id: contact.siteId,
  first_name: contact.firstName,
  last_name: contact.lastName,
  email: contact.email,
  phone: contact.phone,
  title: contact.title,
});

/** Inserts new contacts; returns the ids actually inserted (a concurrent writer may have taken an e-mail). */
export async function insertContacts(tx: EntityManager, contacts: ContactWrite[]): Promise<Set<string>> {
  if (contacts.length === 0) return new Set();
  const rows = await tx.execute<{ id: string }[]>(
    `insert into contact (id, account_id, site_id, first_name, last_name, email, phone, title)
     select r.id, r.account_id, r.site_id, r.first_name, r.last_name, r.email, r.phone, r.title
     from jsonb_to_recordset(?::jsonb) as r(id uuid, account_id uuid, site_id uuid, first_name text,
       last_name text, email text, phone text, title text)
     on conflict (account_id, email) where email is not null and archived_at is null do nothing
     returning id`,
    [JSON.stringify(contacts.map(contactColumns))],
  );
  return new Set(rows.map((row) => row.id));
}

export async function updateContacts(tx: EntityManager, contacts: ContactWrite[]): Promise<void> {
  if (contacts.length === 0) return;
  await tx.execute(
    `update contact c set site_id = r.site_id, first_name = r.first_name, last_name = r.last_name,
       phone = r.phone, title = r.title, updated_at = now()
     from jsonb_to_recordset(?::jsonb) as r(id uuid, site_id uuid, first_name text, last_name text,
       phone text, title text)
     where c.id = r.id`,
    [JSON.stringify(contacts.map(contactColumns))],
  );
}

export interface ContactAudit {
  accountId: string;
  contactId: string;
  action: 'created' | 'updated';
  changes: AuditChanges;
}

/** The batch's audit entries in one statement; same columns as `recordAudit`. */
export async function appendContactAudit(tx: EntityManager, caller: CallerMeta, entries: ContactAudit[]) {
  if (entries.length === 0) return;
  await tx.execute(
    `insert into audit_entry (actor, source_ip, request_id, account_id, contact_id, entity, entity_id, action, changes)
     select ?::jsonb, ?, ?, e.account_id, e.contact_id, 'contact', e.contact_id::text, e.action, e.changes
     from jsonb_to_recordset(?::jsonb) as e(account_id uuid, contact_id uuid, action text, changes jsonb, ordinality int)
     order by e.ordinality`,
    [
      JSON.stringify(caller.actor),
      caller.sourceIp,
      caller.requestId,
      JSON.stringify(
        entries.map((entry, ordinality) => ({
          account_id: entry.accountId,
          contact_id: entry.contactId,
          action: entry.action,
          changes: entry.changes,
          ordinality,
        })),
      ),
    ],
  );
}
