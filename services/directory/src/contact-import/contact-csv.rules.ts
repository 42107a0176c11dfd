import { z } from 'zod';
import {
  accountCreateSchema,
  contactCreateSchema,
  contactCsvColumns,
  emailSchema,
  siteCreateSchema,
} from '@portal/contracts';
import { unescapeCsvCell } from '@portal/kit';

/** Pure rules of the contacts CSV: header, rows, duplicates, differences. No I/O here. */

export type ContactCsvColumn = (typeof contactCsvColumns)[number];

/** Where each column sits in the file; the header may list them in any order. */
export type ContactCsvHeader = Record<ContactCsvColumn, number>;

export type HeaderCheck = { ok: true; header: ContactCsvHeader } | { ok: false; problems: string[] };

export function checkContactCsvHeader(fields: readonly string[]): HeaderCheck {
  const names = fields.map((field) => field.trim().toLowerCase());
  const known = new Set<string>(contactCsvColumns);
  const problems: string[] = [];
  const missing = contactCsvColumns.filter((column) => !names.includes(column));
  const unknown = names.filter((name) => !known.has(name));
  const repeated = names.filter((name, index) => known.has(name) && names.indexOf(name) !== index);
  if (missing.length > 0) problems.push(`missing columns: ${missing.join(', ')}`);
  if (unknown.length > 0) problems.push(`unknown columns: ${unknown.map((name) => name || '(empty)').join(', ')}`);
  if (repeated.length > 0) problems.push(`repeated columns: ${[...new Set(repeated)].join(', ')}`);
  if (problems.length > 0) return { ok: false, problems };
  const header = Object.fromEntries(contactCsvColumns.map((column) => [column, names.indexOf(column)]));
  return { ok: true, header: header as ContactCsvHeader };
}

/** One valid row, normalised the way the contact actions store it (trimmed, e-mail lower-cased). */
export interface ContactCsvRow {
  /** The CSV line the record starts on; the header is line 1. */
  line: number;
  accountNumber: string;
  siteCode: string | null;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  title: string | null;
}

export interface RejectedRow {
  line: number;
  messages: string[];
}

export type RowCheck = { ok: true; row: ContactCsvRow } | { ok: false; rejected: RejectedRow };

// The field rules of the contact actions, reused; the import additionally requires the e-mail,
// because contacts are matched by account and e-mail (a row without one could never be re-imported idempotently).
const contactCsvRowSchema = z.object({
  account_number: accountCreateSchema.shape.number,
  site_code: siteCreateSchema.shape.code.nullable(),
  first_name: contactCreateSchema.shape.firstName,
  last_name: contactCreateSchema.shape.lastName,
  email: emailSchema,
  phone: contactCreateSchema.shape.phone,
  title: contactCreateSchema.shape.title,
});

const requiredColumns: readonly ContactCsvColumn[] = ['account_number', 'first_name', 'last_name', 'email'];

export function checkContactCsvRow(fields: readonly string[], header: ContactCsvHeader, line: number): RowCheck {
  const width = contactCsvColumns.length;
  if (fields.length !== width) {
    return { ok: false, rejected: { line, messages: [`expected ${width} fields, found ${fields.length}`] } };
  }
  const values: Record<string, string | null> = {};
  const messages: string[] = [];
  for (const column of contactCsvColumns) {
    // A cell the export escaped against formula injection (`'+49 …`) is read back as it was stored.
    const value = unescapeCsvCell((fields[header[column]] ?? '').trim());
    values[column] = value === '' ? null : value;
    if (value === '' && requiredColumns.includes(column)) messages.push(`${column}: required`);
  }
  const parsed = contactCsvRowSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const column = String(issue.path[0] ?? 'row');
      // A blank required column is already reported as "required"; zod's type message would repeat it.
      if (values[column] === null && requiredColumns.includes(column as ContactCsvColumn)) continue;
      messages.push(`${column}: ${issue.message}`);
    }
  }
  if (messages.length > 0 || !parsed.success) return { ok: false, rejected: { line, messages } };
  const row = parsed.data;
  return {
    ok: true,
    row: {
      line,
      accountNumber: row.account_number,
      siteCode: row.site_code,
      firstName: row.first_name,
      lastName: row.last_name,
      email: row.email,
      phone: emptyToNull(row.phone),
      title: emptyToNull(row.title),
    },
  };
}

/**
 * Remembers which (account, e-mail) pairs the file already used: the first row wins, later ones
 * are rejected. Keys only, so a 100k-row file costs a few megabytes, never the rows themselves.
 */
export class DuplicateEmailGuard {
  readonly #firstLine = new Map<string, number>();

  /** The line that already claimed this pair, or null after claiming it for `row`. */
  claim(row: Pick<ContactCsvRow, 'accountNumber' | 'email' | 'line'>): number | null {
    const key = `${row.accountNumber.toLowerCase()}\u0000${row.email}`;
    const earlier = this.#firstLine.get(key);
    if (earlier !== undefined) return earlier;
    this.#firstLine.set(key, row.line);
    return null;
  }
}

export function duplicateEmailMessage(earlierLine: number): string {
  return `email: already used for this account on line ${earlierLine}`;
}

/** The contact fields an import may change, as stored (a type alias, so it passes as a plain record). */
export type ImportedContactFields = {
  siteId: string | null;
  firstName: string;
  lastName: string;
  phone: string | null;
  title: string | null;
};

export const importedContactFieldNames = ['siteId', 'firstName', 'lastName', 'phone', 'title'] as const;

/** Names of the fields that differ; blank and null are the same value (a blank cell clears). */
export function changedContactFields(
  existing: ImportedContactFields,
  incoming: ImportedContactFields,
): (typeof importedContactFieldNames)[number][] {
  return importedContactFieldNames.filter((name) => emptyToNull(existing[name]) !== emptyToNull(incoming[name]));
}

function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}
