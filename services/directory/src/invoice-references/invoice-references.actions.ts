import type moleculer from 'moleculer';
import type { ActionArgs } from '@portal/contracts';
import { contractAction, validationFailed } from '@portal/kit';
import { canonicalAmount } from '../domain/decimal-amount.rules.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import {
  accountIdsByNumber,
  findInvoiceReferencesByNumber,
  insertInvoiceReference,
  listInvoiceReferencePage,
  updateInvoiceReferenceRow,
  type StoredInvoiceReference,
} from './invoice-references.repository.ts';
import { hashQuickPayCode, quickPayCodeMatches } from './quick-pay-code.ts';
import { directoryError } from '../errors.ts';

type InvoiceInput = ActionArgs<'directory.importInvoiceReferences'>['items'][number];

/** The stored hash after applying the input: kept when the code is unchanged or not given, new otherwise. */
async function nextQuickPayHash(input: InvoiceInput, stored: StoredInvoiceReference | undefined) {
  if (input.quickPayCode === undefined) return stored?.quickPayCodeHash ?? null;
  if (input.quickPayCode === null) return null;
  if (stored?.quickPayCodeHash && (await quickPayCodeMatches(input.quickPayCode, stored.quickPayCodeHash))) {
    return stored.quickPayCodeHash;
  }
  return hashQuickPayCode(input.quickPayCode);
}

export function invoiceReferenceActions(store: DirectoryStore): Record<string, moleculer.ActionSchema> {
  return {
    listInvoiceReferences: contractAction('directory.listInvoiceReferences', (args) =>
      listInvoiceReferencePage(store.read(), args),
    ),

    importInvoiceReferences: contractAction('directory.importInvoiceReferences', ({ items }) => {
      const seen = new Map<string, number>();
      const repeated = items.flatMap((item, index) => {
        const first = seen.get(item.number.toLowerCase());
        seen.set(item.number.toLowerCase(), first ?? index);
        return first === undefined ? [] : [{ path: ['items', index, 'number'], message: `repeats item ${first}` }];
      });
      if (repeated.length > 0) throw validationFailed(repeated, 'Each invoice number may appear once per import.');

      return store.change(async (tx) => {
        const accounts = await accountIdsByNumber(
          tx,
          items.map((item) => item.accountNumber),
        );
        const unknown = items.flatMap((item, index) =>
          accounts.has(item.accountNumber.toLowerCase())
            ? []
            : [{ path: `items.${index}.accountNumber`, message: `no live account ${item.accountNumber}` }],
        );
        if (unknown.length > 0) {
          throw directoryError('INVOICE_ACCOUNT_UNKNOWN', {
            message: 'Some invoices name accounts that do not exist.',
            details: unknown,
          });
        }
        const stored = await findInvoiceReferencesByNumber(
          tx,
          items.map((item) => item.number),
        );
        const counts = { created: 0, updated: 0, unchanged: 0 };
        for (const item of items) {
          const before = stored.get(item.number.toLowerCase());
          const next = {
            number: item.number,
            accountId: accounts.get(item.accountNumber.toLowerCase()) as string,
            quickPayCodeHash: await nextQuickPayHash(item, before),
            amount: canonicalAmount(item.amount),
            currency: item.currency,
            issuedAt: item.issuedAt,
          };
          if (!before) {
            await insertInvoiceReference(tx, next);
            counts.created += 1;
          } else if (Object.entries(next).every(([key, value]) => before[key as keyof typeof next] === value)) {
            counts.unchanged += 1;
          } else {
            await updateInvoiceReferenceRow(tx, { ...next, id: before.id });
            counts.updated += 1;
          }
        }
        return counts;
      });
    }),
  };
}
