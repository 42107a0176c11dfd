import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionArgs, Project } from '@portal/contracts';
import { containsPattern, isoOf, isoOrNull, SqlConditions, type SqlTimestamp } from '../persistence/sql-values.ts';
import { selectKeysetPage, selectRowById } from '../persistence/table-queries.ts';

export interface ProjectRow {
  id: string;
  account_id: string;
  site_id: string | null;
  code: string;
  name: string;
  hidden: boolean;
  completed: boolean;
  archived_at: SqlTimestamp | null;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
}

export const projectAuditFields = [
  'code',
  'name',
  'siteId',
  'hidden',
  'completed',
  'archivedAt',
] as const satisfies readonly (keyof Project)[];

export function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    accountId: row.account_id,
    siteId: row.site_id,
    code: row.code,
    name: row.name,
    hidden: row.hidden,
    completed: row.completed,
    archivedAt: isoOrNull(row.archived_at),
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
  };
}

export async function findProject(
  em: EntityManager,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Project | null> {
  const row = await selectRowById<ProjectRow>(em, 'project', id, options);
  return row ? toProject(row) : null;
}

export async function listProjectPage(
  em: EntityManager,
  args: ActionArgs<'directory.listProjects'>,
): Promise<{ items: Project[]; nextCursor: string | null }> {
  const where = new SqlConditions()
    .add('account_id = ?', args.accountId)
    .when(!args.includeArchived, 'archived_at is null')
    .when(args.siteId !== undefined, 'site_id = ?', args.siteId)
    .when(args.hidden !== undefined, 'hidden = ?', args.hidden)
    .when(args.completed !== undefined, 'completed = ?', args.completed);
  if (args.search !== undefined) {
    const pattern = containsPattern(args.search);
    where.add('code ilike ? or name ilike ?', pattern, pattern);
  }
  return selectKeysetPage<ProjectRow, Project>(
    em,
    { table: 'project', sortBy: 'lower(code)', where, limit: args.limit, cursor: args.cursor },
    toProject,
  );
}

export async function insertProject(
  em: EntityManager,
  input: Pick<Project, 'accountId' | 'siteId' | 'code' | 'name' | 'hidden' | 'completed'>,
): Promise<Project> {
  const rows = await em.execute<ProjectRow[]>(
    `insert into project (id, account_id, site_id, code, name, hidden, completed)
     values (?, ?, ?, ?, ?, ?, ?) returning *`,
    [randomUUID(), input.accountId, input.siteId, input.code, input.name, input.hidden, input.completed],
  );
  return toProject(rows[0] as ProjectRow);
}

export async function updateProjectRow(em: EntityManager, next: Project): Promise<Project> {
  const rows = await em.execute<ProjectRow[]>(
    `update project set site_id = ?, code = ?, name = ?, hidden = ?, completed = ?, updated_at = now()
     where id = ? returning *`,
    [next.siteId, next.code, next.name, next.hidden, next.completed, next.id],
  );
  return toProject(rows[0] as ProjectRow);
}

export async function archiveProjectRow(em: EntityManager, id: string): Promise<Project> {
  const rows = await em.execute<ProjectRow[]>(
    'update project set archived_at = now(), updated_at = now() where id = ? returning *',
    [id],
  );
  return toProject(rows[0] as ProjectRow);
}
