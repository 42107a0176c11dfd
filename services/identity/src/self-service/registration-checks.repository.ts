import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionArgs } from '@portal/contracts';
import type { CallerMeta } from '@portal/kit';

/** A self-registration waiting to be checked: what the person typed, where from, how often tried. */
export interface RegistrationCheck {
  id: string;
  email: string;
  invoiceNumber: string;
  quickPayCode: string | null;
  accountNumber: string | null;
  firstName: string | null;
  lastName: string | null;
  sourceIp: string | null;
  requestId: string | null;
  attempts: number;
}

interface RegistrationCheckRow {
  id: string;
  email: string;
  invoice_number: string;
  quick_pay_code: string | null;
  account_number: string | null;
  first_name: string | null;
  last_name: string | null;
  source_ip: string | null;
  request_id: string | null;
  attempts: number;
}

export async function enqueueRegistrationCheck(
  tx: EntityManager,
  input: ActionArgs<'identity.registerWithInvoice'>,
  caller: CallerMeta,
): Promise<void> {
  await tx.execute(
    `insert into self_registration_check
       (id, email, invoice_number, quick_pay_code, account_number, first_name, last_name, source_ip, request_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      randomUUID(),
      input.email,
      input.invoiceNumber,
      input.quickPayCode ?? null,
      input.accountNumber ?? null,
      input.firstName ?? null,
      input.lastName ?? null,
      caller.sourceIp,
      caller.requestId,
    ],
  );
}

/**
 * Takes the oldest due check for `leaseSeconds` (another replica skips it meanwhile; if this one
 * dies, the check is due again when the lease ends) and counts the attempt.
 */
export async function claimDueRegistrationCheck(
  em: EntityManager,
  leaseSeconds: number,
): Promise<RegistrationCheck | undefined> {
  const [row] = await em.execute<RegistrationCheckRow[]>(
    `update self_registration_check set due_at = now() + make_interval(secs => ?), attempts = attempts + 1
     where id = (select id from self_registration_check where due_at <= now() order by due_at, id
                 for update skip locked limit 1)
     returning id, email, invoice_number, quick_pay_code, account_number, first_name, last_name, source_ip,
       request_id, attempts`,
    [leaseSeconds],
  );
  if (!row) return undefined;
  return {
    id: row.id,
    email: row.email,
    invoiceNumber: row.invoice_number,
    quickPayCode: row.quick_pay_code,
    accountNumber: row.account_number,
    firstName: row.first_name,
    lastName: row.last_name,
    sourceIp: row.source_ip,
    requestId: row.request_id,
    attempts: row.attempts,
  };
}

/** Done with a check, whatever its outcome: the typed code goes with the row. */
export async function deleteRegistrationCheck(em: EntityManager, id: string): Promise<void> {
  await em.execute('delete from self_registration_check where id = ?', [id]);
}

export async function postponeRegistrationCheck(
  em: EntityManager,
  id: string,
  delaySeconds: number,
  error: string,
): Promise<void> {
  await em.execute(
    'update self_registration_check set due_at = now() + make_interval(secs => ?), last_error = ? where id = ?',
    [delaySeconds, error.slice(0, 500), id],
  );
}
