import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Account, ActionArgs } from '@portal/contracts';
import { containsPattern, isoOf, isoOrNull, SqlConditions, type SqlTimestamp } from '../persistence/sql-values.ts';
import { selectKeysetPage, selectRowById } from '../persistence/table-queries.ts';

interface AccountRow {
  id: string;
  number: string;
  name: string;
  kind: Account['kind'];
  class_id: string | null;
  consolidated_account_id: string | null;
  archived_at: SqlTimestamp | null;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
}

export const accountAuditFields = [
  'number',
  'name',
  'kind',
  'classId',
  'consolidatedAccountId',
  'archivedAt',
] as const satisfies readonly (keyof Account)[];

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    number: row.number,
    name: row.name,
    kind: row.kind,
    classId: row.class_id,
    consolidatedAccountId: row.consolidated_account_id,
    archivedAt: isoOrNull(row.archived_at),
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
  };
}

export async function findAccount(
  em: EntityManager,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Account | null> {
  const row = await selectRowById<AccountRow>(em, 'account', id, options);
  return row ? toAccount(row) : null;
}

export async function listAccountPage(
  em: EntityManager,
  args: ActionArgs<'directory.listAccounts'>,
): Promise<{ items: Account[]; nextCursor: string | null }> {
  const where = new SqlConditions()
    .when(!args.includeArchived, 'archived_at is null')
    .when(args.kind !== undefined, 'kind = ?', args.kind)
    .when(args.classId !== undefined, 'class_id = ?', args.classId)
    .when(args.consolidatedAccountId !== undefined, 'consolidated_account_id = ?', args.consolidatedAccountId);
  if (args.search !== undefined) {
    const pattern = containsPattern(args.search);
    where.add('name ilike ? or number ilike ?', pattern, pattern);
  }
  return selectKeysetPage<AccountRow, Account>(
    em,
    { table: 'account', sortBy: 'lower(name)', where, limit: args.limit, cursor: args.cursor },
    toAccount,
  );
}

export async function insertAccount(
  em: EntityManager,
  input: Omit<Account, 'id' | 'archivedAt' | 'createdAt' | 'updatedAt'>,
): Promise<Account> {
  const rows = await em.execute<AccountRow[]>(
    `insert into account (id, number, name, kind, class_id, consolidated_account_id)
     values (?, ?, ?, ?, ?, ?) returning *`,
    [randomUUID(), input.number, input.name, input.kind, input.classId, input.consolidatedAccountId],
  );
  return toAccount(rows[0] as AccountRow);
}

export async function updateAccountRow(em: EntityManager, next: Account): Promise<Account> {
  const rows = await em.execute<AccountRow[]>(
    `update account set number = ?, name = ?, class_id = ?, consolidated_account_id = ?, updated_at = now()
     where id = ? returning *`,
    [next.number, next.name, next.classId, next.consolidatedAccountId, next.id],
  );
  return toAccount(rows[0] as AccountRow);
}

export async function archiveAccountRow(em: EntityManager, id: string): Promise<Account> {
  const rows = await em.execute<AccountRow[]>(
    'update account set archived_at = now(), updated_at = now() where id = ? returning *',
    [id],
  );
  return toAccount(rows[0] as AccountRow);
}
