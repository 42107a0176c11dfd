import type { EntityManager } from '@mikro-orm/postgresql';
import { defaultReturnCodes, type ReturnCode, type ReturnCodeList } from '@portal/contracts';
import { isoOf, type SqlTimestamp } from '@portal/kit';

/** jsonb keeps its own key order; answers and events carry the contract's order. */
const inContractOrder = ({ code, label, stageComplete }: ReturnCode): ReturnCode => ({ code, label, stageComplete });

/** An account's own list, or the installation default when it has none. */
export async function effectiveReturnCodes(em: EntityManager, accountId: string): Promise<ReturnCodeList> {
  const rows = await em.execute<{ codes: ReturnCode[]; updated_at: SqlTimestamp }[]>(
    'select codes, updated_at from return_code_list where account_id = ?',
    [accountId],
  );
  const own = rows[0];
  return own
    ? { accountId, codes: own.codes.map(inContractOrder), isDefault: false, updatedAt: isoOf(own.updated_at) }
    : { accountId, codes: defaultReturnCodes.map(inContractOrder), isDefault: true, updatedAt: null };
}

/**
 * The account's list as it stands, held until the transaction ends: two changes of one account
 * queue up, so each one's "before" is what the other left. A transaction-scoped advisory lock,
 * since an account on the default has no row to lock.
 */
export async function lockedReturnCodes(tx: EntityManager, accountId: string): Promise<ReturnCodeList> {
  await tx.execute(`select pg_advisory_xact_lock(hashtextextended('submittals.return-codes:' || ?, 0))`, [accountId]);
  return effectiveReturnCodes(tx, accountId);
}

export async function saveReturnCodes(em: EntityManager, accountId: string, codes: readonly ReturnCode[]) {
  await em.execute(
    `insert into return_code_list (account_id, codes) values (?, ?::jsonb)
     on conflict (account_id) do update set codes = excluded.codes, updated_at = now()`,
    [accountId, JSON.stringify(codes.map(inContractOrder))],
  );
}

export async function dropReturnCodes(em: EntityManager, accountId: string) {
  await em.execute('delete from return_code_list where account_id = ?', [accountId]);
}
