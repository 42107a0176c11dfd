import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessScope, ActionArgs, Contact } from '@portal/contracts';
import { pageFromRows } from '@portal/kit';
import {
  containsPattern,
  isoOf,
  isoOrNull,
  SqlConditions,
  type SqlTimestamp,
  keysetAfter,
} from '../persistence/sql-values.ts';

interface ContactRow {
  id: string;
  account_id: string;
  site_id: string | null;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  access_status: Contact['access']['status'];
  access_scope: AccessScope['kind'];
  mfa_effective: boolean;
  scope_site_ids: string[] | null;
  scope_project_ids: string[] | null;
  identity_user_id: string | null;
  invited_at: SqlTimestamp | null;
  invite_expires_at: SqlTimestamp | null;
  enabled_at: SqlTimestamp | null;
  disabled_at: SqlTimestamp | null;
  archived_at: SqlTimestamp | null;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
  sort_last?: string;
  sort_first?: string;
}

/** A contact with its access; MFA counts as required when the contact or its account class says so. */
const contactSelect = `
  select c.id, c.account_id, c.site_id, c.first_name, c.last_name, c.email, c.phone, c.title,
    c.access_status, c.access_scope, c.identity_user_id, c.invited_at, c.invite_expires_at, c.enabled_at,
    c.disabled_at, c.archived_at, c.created_at, c.updated_at,
    lower(c.last_name) as sort_last, lower(c.first_name) as sort_first,
    (c.mfa_required or coalesce(k.require_mfa, false)) as mfa_effective,
    case when c.access_scope = 'selected' then
      array(select s.site_id::text from access_scope_site s where s.contact_id = c.id order by 1) end as scope_site_ids,
    case when c.access_scope = 'selected' then
      array(select p.project_id::text from access_scope_project p where p.contact_id = c.id order by 1) end as scope_project_ids
  from contact c
  join account a on a.id = c.account_id
  left join account_class k on k.id = a.class_id`;

export const contactAuditFields = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'title',
  'siteId',
  'archivedAt',
] as const satisfies readonly (keyof Contact)[];

function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    accountId: row.account_id,
    siteId: row.site_id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    title: row.title,
    access: {
      status: row.access_status,
      scope:
        row.access_scope === 'all'
          ? { kind: 'all' }
          : { kind: 'selected', siteIds: row.scope_site_ids ?? [], projectIds: row.scope_project_ids ?? [] },
      mfaRequired: row.mfa_effective,
      identityUserId: row.identity_user_id,
      invitedAt: isoOrNull(row.invited_at),
      inviteExpiresAt: isoOrNull(row.invite_expires_at),
      enabledAt: isoOrNull(row.enabled_at),
      disabledAt: isoOrNull(row.disabled_at),
    },
    archivedAt: isoOrNull(row.archived_at),
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
  };
}

export async function findContact(
  em: EntityManager,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Contact | null> {
  // Lock the contact row alone: the joined account and class rows stay free for other changes.
  const rows = await em.execute<ContactRow[]>(
    `${contactSelect} where c.id = ?${options.forUpdate ? ' for update of c' : ''}`,
    [id],
  );
  return rows[0] ? toContact(rows[0]) : null;
}

export async function listContactPage(
  em: EntityManager,
  args: ActionArgs<'directory.listContacts'>,
): Promise<{ items: Contact[]; nextCursor: string | null }> {
  const where = new SqlConditions()
    .add('c.account_id = ?', args.accountId)
    .when(!args.includeArchived, 'c.archived_at is null')
    .when(args.siteId !== undefined, 'c.site_id = ?', args.siteId)
    .when(args.accessStatus !== undefined, 'c.access_status = ?', args.accessStatus);
  if (args.search !== undefined) {
    const pattern = containsPattern(args.search);
    where.add(
      `(c.first_name || ' ' || c.last_name) ilike ? or (c.last_name || ' ' || c.first_name) ilike ? or c.email ilike ?`,
      pattern,
      pattern,
      pattern,
    );
  }
  return contactPage(em, where, args);
}

/** One page in name order (last name, first name, id), the order of the contact_name_idx index. */
export async function contactPage(
  em: EntityManager,
  where: SqlConditions,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: Contact[]; nextCursor: string | null }> {
  if (page.cursor) {
    where.add('(lower(c.last_name), lower(c.first_name), c.id) > (?, ?, ?::uuid)', ...keysetAfter(page.cursor, 3));
  }
  const rows = await em.execute<ContactRow[]>(
    `${contactSelect} where ${where.sql} order by lower(c.last_name), lower(c.first_name), c.id limit ?`,
    [...where.params, page.limit + 1],
  );
  return pageFromRows(rows, page.limit, toContact, (row) => [row.sort_last ?? '', row.sort_first ?? '', row.id]);
}

export async function insertContact(
  em: EntityManager,
  input: Pick<Contact, 'accountId' | 'siteId' | 'firstName' | 'lastName' | 'email' | 'phone' | 'title'>,
): Promise<string> {
  const id = randomUUID();
  await em.execute(
    `insert into contact (id, account_id, site_id, first_name, last_name, email, phone, title)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [id, input.accountId, input.siteId, input.firstName, input.lastName, input.email, input.phone, input.title],
  );
  return id;
}

export async function updateContactRow(em: EntityManager, next: Contact): Promise<void> {
  await em.execute(
    `update contact set site_id = ?, first_name = ?, last_name = ?, email = ?, phone = ?, title = ?, updated_at = now()
     where id = ?`,
    [next.siteId, next.firstName, next.lastName, next.email, next.phone, next.title, next.id],
  );
}

export async function archiveContactRow(em: EntityManager, id: string): Promise<void> {
  await em.execute('update contact set archived_at = now(), updated_at = now() where id = ?', [id]);
}

/** Whether new contacts of this account get an invite right away (its class decides). */
export async function autoSendInviteOf(em: EntityManager, accountId: string): Promise<boolean> {
  const [row] = await em.execute<{ auto_send_invite: boolean | null }[]>(
    'select k.auto_send_invite from account a left join account_class k on k.id = a.class_id where a.id = ?',
    [accountId],
  );
  return row?.auto_send_invite ?? false;
}
