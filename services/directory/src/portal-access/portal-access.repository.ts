import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessScope, AccessStatus, ActionArgs, ActionResult } from '@portal/contracts';
import { pageFromRows } from '@portal/kit';
import { timestampStampedBy } from '../domain/access-lifecycle.rules.ts';
import { containsPattern, SqlConditions, keysetAfter } from '../persistence/sql-values.ts';

type PortalTabPage = ActionResult<'directory.listPortalAccess'>;

interface PortalTabRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  site_id: string | null;
  access_status: AccessStatus;
  access_scope: 'all' | 'selected';
  sort_last: string;
  sort_first: string;
}

/** The Portal tab: live contacts of the account in name order, searchable by name, filterable by status. */
export async function portalTabPage(
  em: EntityManager,
  args: ActionArgs<'directory.listPortalAccess'>,
): Promise<PortalTabPage> {
  const where = new SqlConditions()
    .add('account_id = ?', args.accountId)
    .add('archived_at is null')
    .when(args.status !== undefined, 'access_status = ?', args.status);
  if (args.search !== undefined) {
    const pattern = containsPattern(args.search);
    where.add(`(first_name || ' ' || last_name) ilike ? or (last_name || ' ' || first_name) ilike ?`, pattern, pattern);
  }
  if (args.cursor) {
    where.add('(lower(last_name), lower(first_name), id) > (?, ?, ?::uuid)', ...keysetAfter(args.cursor, 3));
  }
  const rows = await em.execute<PortalTabRow[]>(
    `select id, first_name, last_name, email, site_id, access_status, access_scope,
       lower(last_name) as sort_last, lower(first_name) as sort_first
     from contact where ${where.sql}
     order by lower(last_name), lower(first_name), id limit ?`,
    [...where.params, args.limit + 1],
  );
  return pageFromRows(
    rows,
    args.limit,
    (row) => ({
      contactId: row.id,
      name: `${row.first_name} ${row.last_name}`,
      email: row.email,
      siteId: row.site_id,
      status: row.access_status,
      scope: row.access_scope,
    }),
    (row) => [row.sort_last, row.sort_first, row.id],
  );
}

/**
 * Of the selected ids, those outside what the contact can be given: live sites and projects of
 * its account (or of the accounts under it when consolidated), and only its own site's when it
 * is a site-level contact.
 */
export async function idsOutsideReach(
  em: EntityManager,
  contact: { accountId: string; siteId: string | null },
  scope: Extract<AccessScope, { kind: 'selected' }>,
): Promise<{ siteIds: string[]; projectIds: string[] }> {
  const rows = await em.execute<{ kind: 'site' | 'project'; id: string }[]>(
    `with reach as (
       select id from account where id = ? or consolidated_account_id = ?
     ),
     wanted_site as (select value as id from jsonb_array_elements_text(?::jsonb)),
     wanted_project as (select value as id from jsonb_array_elements_text(?::jsonb))
     select 'site' as kind, w.id from wanted_site w
     where not exists (
       select 1 from site s where s.id::text = w.id and s.archived_at is null
         and s.account_id in (select id from reach) and (?::uuid is null or s.id = ?::uuid))
     union all
     select 'project', w.id from wanted_project w
     where not exists (
       select 1 from project p where p.id::text = w.id and p.archived_at is null
         and p.account_id in (select id from reach) and (?::uuid is null or p.site_id = ?::uuid))`,
    [
      contact.accountId,
      contact.accountId,
      JSON.stringify(scope.siteIds),
      JSON.stringify(scope.projectIds),
      contact.siteId,
      contact.siteId,
      contact.siteId,
      contact.siteId,
    ],
  );
  return {
    siteIds: rows.filter((row) => row.kind === 'site').map((row) => row.id),
    projectIds: rows.filter((row) => row.kind === 'project').map((row) => row.id),
  };
}

export async function replaceScope(em: EntityManager, contactId: string, scope: AccessScope): Promise<void> {
  await em.execute('update contact set access_scope = ?, updated_at = now() where id = ?', [scope.kind, contactId]);
  await em.execute('delete from access_scope_site where contact_id = ?', [contactId]);
  await em.execute('delete from access_scope_project where contact_id = ?', [contactId]);
  if (scope.kind === 'all') return;
  await em.execute(
    'insert into access_scope_site (contact_id, site_id) select ?, value::uuid from jsonb_array_elements_text(?::jsonb)',
    [contactId, JSON.stringify(scope.siteIds)],
  );
  await em.execute(
    `insert into access_scope_project (contact_id, project_id)
     select ?, value::uuid from jsonb_array_elements_text(?::jsonb)`,
    [contactId, JSON.stringify(scope.projectIds)],
  );
}

/** The contact's own MFA flag (what staff set), as opposed to the effective one that includes its class. */
export async function storedMfaRequired(em: EntityManager, contactId: string): Promise<boolean> {
  const [row] = await em.execute<{ mfa_required: boolean }[]>('select mfa_required from contact where id = ?', [
    contactId,
  ]);
  return row?.mfa_required ?? false;
}

export async function setStoredMfaRequired(em: EntityManager, contactId: string, mfaRequired: boolean): Promise<void> {
  await em.execute('update contact set mfa_required = ?, updated_at = now() where id = ?', [mfaRequired, contactId]);
}

/**
 * Writes a lifecycle move: the new status, its timestamp, and the identity facts that came with it
 * (an `undefined` fact is left as it was). Withdrawing an invite clears the pending invite.
 */
export async function writeAccessMove(
  em: EntityManager,
  contactId: string,
  move: { to: AccessStatus; identityUserId?: string | null; inviteExpiresAt?: string | null },
): Promise<void> {
  const stamped = timestampStampedBy(move.to);
  const sets = ['access_status = ?', 'updated_at = now()'];
  const params: unknown[] = [move.to];
  if (stamped) sets.push(`${stamped} = now()`);
  if (move.to === 'none') sets.push('invite_expires_at = null');
  if (move.identityUserId !== undefined) {
    sets.push('identity_user_id = ?');
    params.push(move.identityUserId);
  }
  if (move.inviteExpiresAt !== undefined) {
    sets.push('invite_expires_at = ?');
    params.push(move.inviteExpiresAt);
  }
  await em.execute(`update contact set ${sets.join(', ')} where id = ?`, [...params, contactId]);
}

/** Whether the contact's pending invite has expired, by the database clock (the one every timestamp uses). */
export async function inviteExpired(em: EntityManager, contactId: string): Promise<boolean> {
  const [row] = await em.execute<{ expired: boolean }[]>(
    'select coalesce(invite_expires_at <= now(), false) as expired from contact where id = ?',
    [contactId],
  );
  return row?.expired ?? false;
}
