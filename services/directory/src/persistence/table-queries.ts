import type { EntityManager } from '@mikro-orm/postgresql';
import { pageFromRows } from '@portal/kit';
import { keysetAfter, type SqlConditions } from './sql-values.ts';

/** The directory's own tables that are read one row at a time or listed page by page. */
type DirectoryTable = 'account_class' | 'account' | 'site' | 'project';

/** One row by id; `forUpdate` locks it for the change that follows in the same transaction. */
export async function selectRowById<Row>(
  em: EntityManager,
  table: DirectoryTable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Row | undefined> {
  const rows = await em.execute<Row[]>(`select * from ${table} where id = ?${options.forUpdate ? ' for update' : ''}`, [
    id,
  ]);
  return rows[0];
}

/**
 * One page of a table in `(sortBy, id)` order: the cursor condition, the extra row that says
 * whether a next page exists and the cursor of the last row live here, once for every list.
 * `sortBy` is a fixed SQL expression of the caller (never user input), e.g. `lower(name)`.
 */
export async function selectKeysetPage<Row extends { id: string }, Item>(
  em: EntityManager,
  query: { table: DirectoryTable; sortBy: string; where: SqlConditions; limit: number; cursor?: string | undefined },
  toItem: (row: Row) => Item,
): Promise<{ items: Item[]; nextCursor: string | null }> {
  const { table, sortBy, where, limit, cursor } = query;
  if (cursor) where.add(`(${sortBy}, id) > (?, ?::uuid)`, ...keysetAfter(cursor, 2));
  const rows = await em.execute<(Row & { sort_key: string })[]>(
    `select *, ${sortBy} as sort_key from ${table} where ${where.sql} order by ${sortBy}, id limit ?`,
    [...where.params, limit + 1],
  );
  return pageFromRows(rows, limit, toItem, (row) => [row.sort_key, row.id]);
}
