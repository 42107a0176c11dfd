import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionArgs, Site } from '@portal/contracts';
import { containsPattern, isoOf, isoOrNull, SqlConditions, type SqlTimestamp } from '../persistence/sql-values.ts';
import { selectKeysetPage, selectRowById } from '../persistence/table-queries.ts';

interface SiteRow {
  id: string;
  account_id: string;
  code: string;
  name: string;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  postal_code: string | null;
  country: string | null;
  archived_at: SqlTimestamp | null;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
}

export const siteAuditFields = ['code', 'name', 'address', 'archivedAt'] as const satisfies readonly (keyof Site)[];

function toSite(row: SiteRow): Site {
  return {
    id: row.id,
    accountId: row.account_id,
    code: row.code,
    name: row.name,
    address: {
      line1: row.address_line1,
      line2: row.address_line2,
      city: row.city,
      postalCode: row.postal_code,
      country: row.country,
    },
    archivedAt: isoOrNull(row.archived_at),
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
  };
}

export async function findSite(
  em: EntityManager,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Site | null> {
  const row = await selectRowById<SiteRow>(em, 'site', id, options);
  return row ? toSite(row) : null;
}

export async function listSitePage(
  em: EntityManager,
  args: ActionArgs<'directory.listSites'>,
): Promise<{ items: Site[]; nextCursor: string | null }> {
  const where = new SqlConditions()
    .add('account_id = ?', args.accountId)
    .when(!args.includeArchived, 'archived_at is null');
  if (args.search !== undefined) {
    const pattern = containsPattern(args.search);
    where.add('code ilike ? or name ilike ?', pattern, pattern);
  }
  return selectKeysetPage<SiteRow, Site>(
    em,
    { table: 'site', sortBy: 'lower(code)', where, limit: args.limit, cursor: args.cursor },
    toSite,
  );
}

export async function insertSite(
  em: EntityManager,
  input: Pick<Site, 'accountId' | 'code' | 'name' | 'address'>,
): Promise<Site> {
  const { address } = input;
  const rows = await em.execute<SiteRow[]>(
    `insert into site (id, account_id, code, name, address_line1, address_line2, city, postal_code, country)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning *`,
    [
      randomUUID(),
      input.accountId,
      input.code,
      input.name,
      address.line1,
      address.line2,
      address.city,
      address.postalCode,
      address.country,
    ],
  );
  return toSite(rows[0] as SiteRow);
}

export async function updateSiteRow(em: EntityManager, next: Site): Promise<Site> {
  const { address } = next;
  const rows = await em.execute<SiteRow[]>(
    `update site set code = ?, name = ?, address_line1 = ?, address_line2 = ?, city = ?, postal_code = ?,
       country = ?, updated_at = now() where id = ? returning *`,
    [next.code, next.name, address.line1, address.line2, address.city, address.postalCode, address.country, next.id],
  );
  return toSite(rows[0] as SiteRow);
}

export async function archiveSiteRow(em: EntityManager, id: string): Promise<Site> {
  const rows = await em.execute<SiteRow[]>(
    'update site set archived_at = now(), updated_at = now() where id = ? returning *',
    [id],
  );
  return toSite(rows[0] as SiteRow);
}
