import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionArgs, ActionResult } from '@portal/contracts';
import { pageFromRows } from '@portal/kit';
import { containsPattern, isoOf, keysetAfter, SqlConditions, type SqlTimestamp } from '../persistence/sql-values.ts';

type InvoiceReference = ActionResult<'directory.listInvoiceReferences'>['items'][number];

export interface StoredInvoiceReference {
  id: string;
  number: string;
  accountId: string;
  quickPayCodeHash: string | null;
  amount: string;
  currency: string;
  issuedAt: string;
}

interface InvoiceReferenceRow {
  id: string;
  number: string;
  account_id: string;
  quick_pay_code_hash: string | null;
  amount: string;
  currency: string;
  issued_at: string;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
  sort_key: string;
}

// Dates and amounts as text: pg would turn a `date` into a local-midnight Date and numeric stays exact as text.
const invoiceColumns = `id, number, account_id, quick_pay_code_hash, amount::text as amount, currency,
  to_char(issued_at, 'YYYY-MM-DD') as issued_at, created_at, updated_at, lower(number) as sort_key`;

/** The stored references with these numbers (case-insensitive), keyed by lower-cased number. */
export async function findInvoiceReferencesByNumber(
  em: EntityManager,
  numbers: string[],
): Promise<Map<string, StoredInvoiceReference>> {
  const rows = await em.execute<InvoiceReferenceRow[]>(
    `select ${invoiceColumns} from invoice_reference
     where lower(number) in (select lower(value) from jsonb_array_elements_text(?::jsonb)) for update`,
    [JSON.stringify(numbers)],
  );
  return new Map(
    rows.map((row) => [
      row.sort_key,
      {
        id: row.id,
        number: row.number,
        accountId: row.account_id,
        quickPayCodeHash: row.quick_pay_code_hash,
        amount: row.amount,
        currency: row.currency,
        issuedAt: row.issued_at,
      },
    ]),
  );
}

/** Account ids by lower-cased account number, for the numbers that exist and are live. */
export async function accountIdsByNumber(em: EntityManager, numbers: string[]): Promise<Map<string, string>> {
  const rows = await em.execute<{ number: string; id: string }[]>(
    `select lower(number) as number, id from account
     where archived_at is null and lower(number) in (select lower(value) from jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(numbers)],
  );
  return new Map(rows.map((row) => [row.number, row.id]));
}

export async function insertInvoiceReference(
  em: EntityManager,
  next: Omit<StoredInvoiceReference, 'id'>,
): Promise<void> {
  await em.execute(
    `insert into invoice_reference (id, number, account_id, quick_pay_code_hash, amount, currency, issued_at)
     values (?, ?, ?, ?, ?::numeric, ?, ?::date)`,
    [randomUUID(), next.number, next.accountId, next.quickPayCodeHash, next.amount, next.currency, next.issuedAt],
  );
}

export async function updateInvoiceReferenceRow(em: EntityManager, next: StoredInvoiceReference): Promise<void> {
  await em.execute(
    `update invoice_reference set number = ?, account_id = ?, quick_pay_code_hash = ?, amount = ?::numeric,
       currency = ?, issued_at = ?::date, updated_at = now() where id = ?`,
    [next.number, next.accountId, next.quickPayCodeHash, next.amount, next.currency, next.issuedAt, next.id],
  );
}

export async function listInvoiceReferencePage(
  em: EntityManager,
  args: ActionArgs<'directory.listInvoiceReferences'>,
): Promise<{ items: InvoiceReference[]; nextCursor: string | null }> {
  const where = new SqlConditions()
    .when(args.accountId !== undefined, 'account_id = ?', args.accountId)
    .when(args.search !== undefined, 'number ilike ?', containsPattern(args.search ?? ''));
  if (args.cursor) where.add('(lower(number), id) > (?, ?::uuid)', ...keysetAfter(args.cursor, 2));
  const rows = await em.execute<InvoiceReferenceRow[]>(
    `select ${invoiceColumns} from invoice_reference where ${where.sql} order by lower(number), id limit ?`,
    [...where.params, args.limit + 1],
  );
  return pageFromRows(
    rows,
    args.limit,
    (row) => ({
      id: row.id,
      number: row.number,
      accountId: row.account_id,
      hasQuickPayCode: row.quick_pay_code_hash !== null,
      amount: row.amount,
      currency: row.currency,
      issuedAt: row.issued_at,
      createdAt: isoOf(row.created_at),
      updatedAt: isoOf(row.updated_at),
    }),
    (row) => [row.sort_key, row.id],
  );
}
