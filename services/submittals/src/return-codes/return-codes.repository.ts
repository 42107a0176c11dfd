import type { EntityManager } from '@mikro-orm/postgresql';
import { defaultReturnCodes, type ReturnCode, type ReturnCodeList } from '@portal/contracts';
import { isoOf, type SqlTimestamp } from '@portal/kit';

/** An account's own list, or the installation default when it has none. */
export async function effectiveReturnCodes(em: EntityManager, accountId: string): Promise<ReturnCodeList> {
  const rows = await em.execute<{ codes: ReturnCode[]; updated_at: SqlTimestamp }[]>(
    'select codes, updated_at from return_code_list where account_id = ?',
    [accountId],
  );
  const own = rows[0];
  return own
    ? { accountId, codes: own.codes, isDefault: false, updatedAt: isoOf(own.updated_at) }
    : { accountId, codes: [...defaultReturnCodes], isDefault: true, updatedAt: null };
}

export async function saveReturnCodes(em: EntityManager, accountId: string, codes: readonly ReturnCode[]) {
  await em.execute(
    `insert into return_code_list (account_id, codes) values (?, ?::jsonb)
     on conflict (account_id) do update set codes = excluded.codes, updated_at = now()`,
    [accountId, JSON.stringify(codes)],
  );
}

export async function dropReturnCodes(em: EntityManager, accountId: string) {
  await em.execute('delete from return_code_list where account_id = ?', [accountId]);
}
