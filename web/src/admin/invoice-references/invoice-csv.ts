import type { z } from 'zod';
import { invoiceReferenceInputSchema } from '@portal/contracts';
import { readCsvFile } from '../contact-imports/csv-records.ts';

type InvoiceReferenceInput = z.input<typeof invoiceReferenceInputSchema>;

/**
 * The invoice references CSV. The API takes a JSON list (`importInvoiceReferences`), so the browser
 * reads the file, checks every row with the contract's own schema, and sends the list only when the
 * whole file is good: a bad file imports nothing, and the lines to fix are named at once.
 */
export const invoiceCsvColumns = [
  'number',
  'account_number',
  'amount',
  'currency',
  'issued_at',
  'quick_pay_code',
] as const;
export type InvoiceCsvColumn = (typeof invoiceCsvColumns)[number];

const fieldOfColumn = {
  number: 'number',
  account_number: 'accountNumber',
  amount: 'amount',
  currency: 'currency',
  issued_at: 'issuedAt',
  quick_pay_code: 'quickPayCode',
} as const satisfies Record<InvoiceCsvColumn, keyof InvoiceReferenceInput>;
const columnOfField = Object.fromEntries(Object.entries(fieldOfColumn).map(([column, field]) => [field, column]));

/** Every column but the code is required; a blank or missing code keeps the code already stored. */
export const optionalInvoiceCsvColumns: readonly InvoiceCsvColumn[] = ['quick_pay_code'];

export interface InvoiceCsvProblem {
  line: number;
  messages: string[];
}

export type InvoiceCsvRead =
  { ok: true; items: InvoiceReferenceInput[]; lines: number[] } | { ok: false; problems: InvoiceCsvProblem[] };

const isColumn = (name: string): name is InvoiceCsvColumn => (invoiceCsvColumns as readonly string[]).includes(name);

function headerProblemsOf(names: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (!isColumn(name)) problems.push(`unknown column "${name}"`);
    else if (seen.has(name)) problems.push(`column "${name}" appears twice`);
    seen.add(name);
  }
  for (const column of invoiceCsvColumns) {
    if (!seen.has(column) && !optionalInvoiceCsvColumns.includes(column))
      problems.push(`column "${column}" is missing`);
  }
  return problems;
}

/** Reads and checks the whole file; the problems (header first) say which lines to fix. */
export async function readInvoiceCsv(file: Blob): Promise<InvoiceCsvRead> {
  let header: string[] | null = null;
  const problems: InvoiceCsvProblem[] = [];
  const items: InvoiceReferenceInput[] = [];
  const lines: number[] = [];
  try {
    await readCsvFile(file, ({ line, fields }) => {
      if (!header) {
        header = fields.map((name) => name.trim().toLowerCase());
        const headerProblems = headerProblemsOf(header);
        if (headerProblems.length > 0) problems.push({ line, messages: headerProblems });
        return;
      }
      if (problems[0]?.line === 1) return;
      if (fields.length !== header.length) {
        problems.push({ line, messages: [`expected ${header.length} fields, found ${fields.length}`] });
        return;
      }
      const row: Record<string, string> = {};
      header.forEach((column, index) => {
        const value = fields[index]!.trim();
        // A blank code keeps what is stored; the API reads an absent field that way.
        if (value !== '' || column !== 'quick_pay_code') row[fieldOfColumn[column as InvoiceCsvColumn]] = value;
      });
      const parsed = invoiceReferenceInputSchema.safeParse(row);
      if (!parsed.success) {
        problems.push({
          line,
          messages: parsed.error.issues.map((issue) => {
            const field = String(issue.path[0] ?? '');
            return `${columnOfField[field] ?? field}: ${issue.message}`;
          }),
        });
        return;
      }
      items.push(row as InvoiceReferenceInput);
      lines.push(line);
    });
  } catch (error) {
    problems.push({ line: 0, messages: [error instanceof Error ? error.message : 'The file could not be read.'] });
  }
  if (!header) return { ok: false, problems: [{ line: 1, messages: ['the file is empty: a header row is required'] }] };
  if (problems.length > 0) return { ok: false, problems };
  if (items.length === 0) return { ok: false, problems: [{ line: 2, messages: ['the file has no invoice rows'] }] };
  return { ok: true, items, lines };
}
