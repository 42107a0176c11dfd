import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountClass, ActionArgs } from '@portal/contracts';
import { pageFromRows } from '@portal/kit';
import { containsPattern, isoOf, SqlConditions, type SqlTimestamp, keysetAfter } from '../persistence/sql-values.ts';

interface AccountClassRow {
  id: string;
  name: string;
  description: string | null;
  auto_send_invite: boolean;
  allow_self_registration: boolean;
  require_mfa: boolean;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
  sort_key?: string;
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
  const rows = await em.execute<AccountClassRow[]>(
    `select * from account_class where id = ?${options.forUpdate ? ' for update' : ''}`,
    [id],
  );
  return rows[0] ? toAccountClass(rows[0]) : null;
}

export async function listAccountClassPage(
  em: EntityManager,
  args: ActionArgs<'directory.listAccountClasses'>,
): Promise<{ items: AccountClass[]; nextCursor: string | null }> {
  const where = new SqlConditions().when(args.search !== undefined, 'name ilike ?', containsPattern(args.search ?? ''));
  if (args.cursor) where.add('(lower(name), id) > (?, ?::uuid)', ...keysetAfter(args.cursor, 2));
  const rows = await em.execute<AccountClassRow[]>(
    `select *, lower(name) as sort_key from account_class where ${where.sql} order by lower(name), id limit ?`,
    [...where.params, args.limit + 1],
  );
  return pageFromRows(rows, args.limit, toAccountClass, (row) => [row.sort_key ?? '', row.id]);
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
