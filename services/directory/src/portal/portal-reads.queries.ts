import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessScope, ActionArgs, ActionResult } from '@portal/contracts';
import { pageFromRows, sqlArray } from '@portal/kit';
import { containsPattern, keysetAfter, SqlConditions } from '../persistence/sql-values.ts';

/**
 * The directory's portal read paths. Who sees what is decided only by the visibility functions of
 * the visibility migration (`portal_access_enabled`, `visible_account_ids`, `visible_project_ids`);
 * these queries select from them and never re-decide.
 */

export type PortalPrincipalFacts = ActionResult<'directory.resolvePortalPrincipal'>;
export type PortalProfileFacts = ActionResult<'directory.getPortalProfileFacts'>;
export type PortalProjectPage = ActionResult<'directory.listPortalProjects'>;

/** The contact linked to a portal login (the unique `contact_identity_user_key` index), or null. */
export async function findPortalPrincipal(
  em: EntityManager,
  identityUserId: string,
): Promise<PortalPrincipalFacts | null> {
  const [row] = await em.execute<
    { id: string; account_id: string; access_status: PortalPrincipalFacts['accessStatus']; access_enabled: boolean }[]
  >(
    `select c.id, c.account_id, c.access_status, portal_access_enabled(c.id) as access_enabled
     from contact c where c.identity_user_id = ?`,
    [identityUserId],
  );
  if (!row) return null;
  return {
    contactId: row.id,
    accountId: row.account_id,
    accessStatus: row.access_status,
    accessEnabled: row.access_enabled,
  };
}

/** What `/portal/me` shows of the directory; null unless the contact exists with enabled access. */
export async function findPortalProfileFacts(em: EntityManager, contactId: string): Promise<PortalProfileFacts | null> {
  const [row] = await em.execute<
    {
      id: string;
      first_name: string;
      last_name: string;
      email: string | null;
      site_id: string | null;
      access_scope: AccessScope['kind'];
      mfa_required: boolean;
      scope_site_ids: string[];
      scope_project_ids: string[];
      accounts: PortalProfileFacts['accounts'];
    }[]
  >(
    `select c.id, c.first_name, c.last_name, c.email, c.site_id, c.access_scope,
       (c.mfa_required or coalesce(k.require_mfa, false)) as mfa_required,
       array(select s.site_id::text from access_scope_site s where s.contact_id = c.id order by 1) as scope_site_ids,
       array(select p.project_id::text from access_scope_project p where p.contact_id = c.id order by 1) as scope_project_ids,
       coalesce((
         select json_agg(json_build_object('id', r.id, 'number', r.number, 'name', r.name, 'kind', r.kind)
                         order by r.id = c.account_id desc, lower(r.name), r.id)
         from account r where r.id in (select v.id from visible_account_ids(c.id) as v (id))
       ), '[]'::json) as accounts
     from contact c
     join account a on a.id = c.account_id
     left join account_class k on k.id = a.class_id
     where c.id = ? and portal_access_enabled(c.id)`,
    [contactId],
  );
  if (!row || row.email === null) return null;
  return {
    contact: {
      id: row.id,
      firstName: row.first_name,
      lastName: row.last_name,
      email: row.email,
      siteId: row.site_id,
    },
    accounts: row.accounts,
    scope:
      row.access_scope === 'all'
        ? { kind: 'all' }
        : { kind: 'selected', siteIds: row.scope_site_ids, projectIds: row.scope_project_ids },
    mfaRequired: row.mfa_required,
  };
}

/** Whether `accountId` is among the accounts the contact reaches (its own, or a member of its consolidated one). */
export async function reachesAccount(em: EntityManager, contactId: string, accountId: string): Promise<boolean> {
  const [row] = await em.execute<{ reaches: boolean }[]>(
    'select exists (select 1 from visible_account_ids(?) as v (id) where v.id = ?) as reaches',
    [contactId, accountId],
  );
  return row?.reaches === true;
}

export interface PortalProjectRow {
  id: string;
  account_id: string;
  site_id: string | null;
  code: string;
  name: string;
  sort_key: string;
}

/**
 * The SQL of one page of a contact's projects, with `?` placeholders: the visible projects by code,
 * keyset-paged on (lower(code), id), optionally of one account and matching a search in code or
 * name. Exported so the benchmark's bare endpoint runs exactly this statement.
 */
export function portalProjectPageSql(
  contactId: string,
  args: Pick<ActionArgs<'directory.listPortalProjects'>, 'limit' | 'cursor' | 'search' | 'accountId'>,
): { sql: string; params: unknown[] } {
  const where = new SqlConditions().when(args.accountId !== undefined, 'p.account_id = ?', args.accountId);
  if (args.search !== undefined) {
    const pattern = containsPattern(args.search);
    where.add('p.code ilike ? or p.name ilike ?', pattern, pattern);
  }
  // The cursor carries PostgreSQL's own lower(code): JavaScript lower-cases some letters differently.
  if (args.cursor) where.add('(lower(p.code), p.id) > (?, ?::uuid)', ...keysetAfter(args.cursor, 2));
  return {
    sql: `select p.id, p.account_id, p.site_id, p.code, p.name, lower(p.code) as sort_key
      from visible_project_ids(?) as v (id) join project p on p.id = v.id
      where ${where.sql}
      order by lower(p.code), p.id limit ?`,
    params: [contactId, ...where.params, args.limit + 1],
  };
}

export const toPortalProject = (row: PortalProjectRow): PortalProjectPage['items'][number] => ({
  id: row.id,
  accountId: row.account_id,
  siteId: row.site_id,
  code: row.code,
  name: row.name,
});

export async function listPortalProjectPage(
  em: EntityManager,
  contactId: string,
  args: ActionArgs<'directory.listPortalProjects'>,
): Promise<PortalProjectPage> {
  const { sql, params } = portalProjectPageSql(contactId, args);
  const rows = await em.execute<PortalProjectRow[]>(sql, params);
  return pageFromRows(rows, args.limit, toPortalProject, (row) => [row.sort_key, row.id]);
}

/** Number or code and name of accounts, sites and projects, by id (unknown ids are left out). */
export function describeOwners(
  em: EntityManager,
  ids: ActionArgs<'directory.describeOwners'>,
): Promise<ActionResult<'directory.describeOwners'>> {
  return em.execute(
    `select 'account' as kind, id, number as code, name from account where id = any(?::uuid[])
     union all select 'site', id, code, name from site where id = any(?::uuid[])
     union all select 'project', id, code, name from project where id = any(?::uuid[])`,
    [sqlArray(ids.accountIds), sqlArray(ids.siteIds), sqlArray(ids.projectIds)],
  );
}
