import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionArgs, ActionResult } from '@portal/contracts';
import { pageFromRows } from '@portal/kit';
import { keysetAfter } from '../persistence/sql-values.ts';
import { toProject, type ProjectRow } from '../projects/projects.repository.ts';

/**
 * Thin wrappers over the SQL functions of the visibility migration. The rule itself lives only
 * there; nothing here re-decides who sees what.
 */

export type VisibleScope = ActionResult<'directory.resolveVisibleScope'>;

async function idsOf(em: EntityManager, sql: string, contactId: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(sql, [contactId]);
  return rows.map((row) => row.id);
}

export function visibleProjectIds(em: EntityManager, contactId: string): Promise<string[]> {
  return idsOf(em, 'select id from visible_project_ids(?) as v (id) order by id', contactId);
}

export function visibleSiteIds(em: EntityManager, contactId: string): Promise<string[]> {
  return idsOf(em, 'select id from visible_site_ids(?) as v (id) order by id', contactId);
}

export function visibleAccountIds(em: EntityManager, contactId: string): Promise<string[]> {
  return idsOf(em, 'select id from visible_account_ids(?) as v (id) order by id', contactId);
}

export async function isProjectVisible(em: EntityManager, contactId: string, projectId: string): Promise<boolean> {
  const rows = await em.execute<{ visible: boolean }[]>(
    'select exists (select 1 from visible_project_ids(?) as v (id) where v.id = ?) as visible',
    [contactId, projectId],
  );
  return rows[0]?.visible === true;
}

export async function isSiteVisible(em: EntityManager, contactId: string, siteId: string): Promise<boolean> {
  const rows = await em.execute<{ visible: boolean }[]>(
    'select exists (select 1 from visible_site_ids(?) as v (id) where v.id = ?) as visible',
    [contactId, siteId],
  );
  return rows[0]?.visible === true;
}

/** Everything a contact may see, in one round trip; null when the contact does not exist. */
export async function findVisibleScope(em: EntityManager, contactId: string): Promise<VisibleScope | null> {
  const rows = await em.execute<
    {
      access_enabled: boolean;
      account_ids: string[];
      site_ids: string[];
      project_ids: string[];
      item_account_ids: string[];
      item_site_ids: string[];
    }[]
  >(
    `select portal_access_enabled(c.id) as access_enabled,
       array(select v.id::text from visible_account_ids(c.id) as v (id) order by v.id) as account_ids,
       array(select v.id::text from visible_site_ids(c.id) as v (id) order by v.id) as site_ids,
       array(select v.id::text from visible_project_ids(c.id) as v (id) order by v.id) as project_ids,
       array(select v.id::text from visible_item_account_ids(c.id) as v (id) order by v.id) as item_account_ids,
       array(select v.id::text from visible_item_site_ids(c.id) as v (id) order by v.id) as item_site_ids
     from contact c where c.id = ?`,
    [contactId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    accessEnabled: row.access_enabled,
    accountIds: row.account_ids,
    siteIds: row.site_ids,
    projectIds: row.project_ids,
    itemOwners: { accountIds: row.item_account_ids, siteIds: row.item_site_ids, projectIds: row.project_ids },
  };
}

/**
 * The contacts who see a project, by the same SQL functions: candidates are the enabled contacts of
 * the project's account and of the consolidated account it belongs to; `visible_project_ids` then
 * decides (access gate, site, scope, hidden and completed projects), so nothing here re-decides.
 */
export async function contactIdsSeeingProject(em: EntityManager, projectId: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select c.id
     from project p
     join account a on a.id = p.account_id
     join contact c on c.account_id in (a.id, a.consolidated_account_id)
     where p.id = ?
       and c.access_status = 'enabled'
       and exists (select 1 from visible_project_ids(c.id) as v (id) where v.id = p.id)
     order by c.id`,
    [projectId],
  );
  return rows.map((row) => row.id);
}

export async function contactExists(em: EntityManager, contactId: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>('select id from contact where id = ?', [contactId]);
  return rows.length > 0;
}

/** "What would this contact see": the visible projects by code, keyset-paged on (lower(code), id). */
export async function listVisibleProjectPage(
  em: EntityManager,
  args: ActionArgs<'directory.listVisibleProjects'>,
): Promise<ActionResult<'directory.listVisibleProjects'>> {
  const after = args.cursor ? keysetAfter(args.cursor, 2) : null;
  // The cursor carries PostgreSQL's own lower(code): JavaScript lower-cases some letters differently.
  const rows = await em.execute<(ProjectRow & { sort_key: string })[]>(
    `select p.*, lower(p.code) as sort_key from visible_project_ids(?) as v (id) join project p on p.id = v.id
     ${after ? 'where (lower(p.code), p.id) > (?, ?::uuid)' : ''}
     order by lower(p.code), p.id limit ?`,
    after ? [args.contactId, ...after, args.limit + 1] : [args.contactId, args.limit + 1],
  );
  return pageFromRows(rows, args.limit, toProject, (row) => [row.sort_key, row.id]);
}
