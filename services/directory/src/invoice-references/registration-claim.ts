import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionArgs, ActionResult } from '@portal/contracts';
import { hashQuickPayCode, quickPayCodeMatches } from './quick-pay-code.ts';

type Claim = ActionArgs<'directory.verifyInvoiceForRegistration'>;
type Verdict = ActionResult<'directory.verifyInvoiceForRegistration'>;

interface InvoiceClaimRow {
  account_id: string;
  account_number: string;
  quick_pay_code_hash: string | null;
  class_allows: boolean;
  option_on: boolean;
}

// A hash of a code nobody holds: a claim on an unknown invoice still pays for one scrypt, so the
// directory's work (and its timing, should anyone ever measure it) does not tell invoices apart.
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashQuickPayCode('decoy-quick-pay-code'));

/**
 * Whether an invoice proves a self-registration claim. Every check (invoice, code or account number,
 * class, system option) runs before the verdict, which never says which one failed.
 */
export async function verifyRegistrationClaim(em: EntityManager, claim: Claim): Promise<Verdict> {
  const [row] = await em.execute<InvoiceClaimRow[]>(
    `select i.account_id, a.number as account_number, i.quick_pay_code_hash,
            coalesce(c.allow_self_registration, false) as class_allows,
            (select self_registration from system_options) as option_on
     from invoice_reference i
     join account a on a.id = i.account_id and a.archived_at is null
     left join account_class c on c.id = a.class_id
     where lower(i.number) = lower(?)`,
    [claim.invoiceNumber],
  );
  const proven =
    claim.quickPayCode !== undefined
      ? await quickPayCodeMatches(claim.quickPayCode, row?.quick_pay_code_hash ?? (await decoy()))
      : row !== undefined && row.account_number.toLowerCase() === (claim.accountNumber ?? '').toLowerCase();
  if (!row || !proven || !row.class_allows || !row.option_on) return { matched: false };
  const [contact] = await em.execute<{ id: string }[]>(
    'select id from contact where account_id = ? and email = ? and archived_at is null',
    [row.account_id, claim.email],
  );
  return { matched: true, accountId: row.account_id, contactId: contact?.id ?? null };
}
