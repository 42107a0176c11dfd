import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountClass, ActionArgs } from '@portal/contracts';
import { containsPattern, isoOf, SqlConditions, type SqlTimestamp } from '../persistence/sql-values.ts';
import { selectKeysetPage, selectRowById } from '../persistence/table-queries.ts';

interface AccountClassRow {
  id: string;
  name: string;
  description: string | null;
  auto_send_invite: boolean;
  allow_self_registration: boolean;
  require_mfa: boolean;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
}

export const accountClassAuditFields = [
  'name',
  'description',
  'autoSendInvite',
  'allowSelfRegistration',
  'requireMfa',
] as const satisfies readonly (keyof AccountClass)[];

function toAccountClass(row: AccountClassRow): AccountClass {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    autoSendInvite: row.auto_send_invite,
    allowSelfRegistration: row.allow_self_registration,
    requireMfa: row.require_mfa,
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
  };
}

export async function findAccountClass(
  em: EntityManager,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<AccountClass | null> {
  const row = await selectRowById<AccountClassRow>(em, 'account_class', id, options);
  return row ? toAccountClass(row) : null;
}

export async function listAccountClassPage(
  em: EntityManager,
  args: ActionArgs<'directory.listAccountClasses'>,
): Promise<{ items: AccountClass[]; nextCursor: string | null }> {
  const where = new SqlConditions().when(args.search !== undefined, 'name ilike ?', containsPattern(args.search ?? ''));
  return selectKeysetPage<AccountClassRow, AccountClass>(
    em,
    { table: 'account_class', sortBy: 'lower(name)', where, limit: args.limit, cursor: args.cursor },
    toAccountClass,
  );
}

export async function insertAccountClass(
  em: EntityManager,
  input: ActionArgs<'directory.createAccountClass'>,
): Promise<AccountClass> {
  const rows = await em.execute<AccountClassRow[]>(
    `insert into account_class (id, name, description, auto_send_invite, allow_self_registration, require_mfa)
     values (?, ?, ?, ?, ?, ?) returning *`,
    [
      randomUUID(),
      input.name,
      input.description ?? null,
      input.autoSendInvite ?? false,
      input.allowSelfRegistration ?? false,
      input.requireMfa ?? false,
    ],
  );
  return toAccountClass(rows[0] as AccountClassRow);
}

export async function updateAccountClassRow(em: EntityManager, next: AccountClass): Promise<AccountClass> {
  const rows = await em.execute<AccountClassRow[]>(
    `update account_class set name = ?, description = ?, auto_send_invite = ?, allow_self_registration = ?,
       require_mfa = ?, updated_at = now() where id = ? returning *`,
    [next.name, next.description, next.autoSendInvite, next.allowSelfRegistration, next.requireMfa, next.id],
  );
  return toAccountClass(rows[0] as AccountClassRow);
}

export async function deleteAccountClassRow(em: EntityManager, id: string): Promise<void> {
  await em.execute('delete from account_class where id = ?', [id]);
}
