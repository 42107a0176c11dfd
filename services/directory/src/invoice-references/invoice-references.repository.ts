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

/** The stored references with these numbers (case-insensitive), keyed by lower-cased number; locked with `forUpdate`. */
export async function findInvoiceReferencesByNumber(
  em: EntityManager,
  numbers: string[],
  options: { forUpdate: boolean },
): Promise<Map<string, StoredInvoiceReference>> {
  const rows = await em.execute<InvoiceReferenceRow[]>(
    `select ${invoiceColumns} from invoice_reference
     where lower(number) in (select lower(value) from jsonb_array_elements_text(?::jsonb))
     order by id${options.forUpdate ? ' for update' : ''}`,
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

const invoiceColumnsOf = (reference: Omit<StoredInvoiceReference, 'id'> & { id: string }) => ({
  id: reference.id,
  number: reference.number,
  account_id: reference.accountId,
  quick_pay_code_hash: reference.quickPayCodeHash,
  amount: reference.amount,
  currency: reference.currency,
  issued_at: reference.issuedAt,
});

/**
 * Inserts new references in one statement; returns those actually inserted (a concurrent import
 * may have taken a number meanwhile), with their new ids.
 */
export async function insertInvoiceReferences(
  tx: EntityManager,
  references: Omit<StoredInvoiceReference, 'id'>[],
): Promise<StoredInvoiceReference[]> {
  if (references.length === 0) return [];
  const withIds = references.map((reference) => ({ ...reference, id: randomUUID() }));
  const rows = await tx.execute<{ id: string }[]>(
    `insert into invoice_reference (id, number, account_id, quick_pay_code_hash, amount, currency, issued_at)
     select r.id, r.number, r.account_id, r.quick_pay_code_hash, r.amount, r.currency, r.issued_at
     from jsonb_to_recordset(?::jsonb) as r(id uuid, number text, account_id uuid, quick_pay_code_hash text,
       amount numeric, currency text, issued_at date)
     on conflict ((lower(number))) do nothing
     returning id`,
    [JSON.stringify(withIds.map(invoiceColumnsOf))],
  );
  const inserted = new Set(rows.map((row) => row.id));
  return withIds.filter((reference) => inserted.has(reference.id));
}

export async function updateInvoiceReferenceRows(
  tx: EntityManager,
  references: StoredInvoiceReference[],
): Promise<void> {
  if (references.length === 0) return;
  await tx.execute(
    `update invoice_reference i set number = r.number, account_id = r.account_id,
       quick_pay_code_hash = r.quick_pay_code_hash, amount = r.amount, currency = r.currency, issued_at = r.issued_at,
       updated_at = now()
     from jsonb_to_recordset(?::jsonb) as r(id uuid, number text, account_id uuid, quick_pay_code_hash text,
       amount numeric, currency text, issued_at date)
     where i.id = r.id`,
    [JSON.stringify(references.map(invoiceColumnsOf))],
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
