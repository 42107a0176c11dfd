import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessScope, AccessStatus } from '@portal/contracts';
import type { ImportedContactFields } from './contact-csv.rules.ts';

// Set-based SQL: each statement takes a whole batch as one jsonb parameter and expands it with
// jsonb_to_recordset (em.execute inlines `?` values, so arrays cannot be bound as PostgreSQL arrays).

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
  accessStatus: AccessStatus;
  scope: AccessScope;
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
      access_status: AccessStatus;
      access_scope: AccessScope['kind'];
      scope_site_ids: string[] | null;
      scope_project_ids: string[] | null;
    }[]
  >(
    `select c.id, c.account_id, c.site_id, c.first_name, c.last_name, c.email, c.phone, c.title,
       c.access_status, c.access_scope,
       case when c.access_scope = 'selected' then
         array(select s.site_id::text from access_scope_site s where s.contact_id = c.id order by 1) end as scope_site_ids,
       case when c.access_scope = 'selected' then
         array(select p.project_id::text from access_scope_project p where p.contact_id = c.id order by 1) end as scope_project_ids
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
        accessStatus: row.access_status,
        scope:
          row.access_scope === 'all'
            ? { kind: 'all' }
            : { kind: 'selected', siteIds: row.scope_site_ids ?? [], projectIds: row.scope_project_ids ?? [] },
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
