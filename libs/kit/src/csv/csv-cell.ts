/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`,
 * a tab or a carriage return may be run as a formula when the export is opened. The export
 * prefixes such a cell with `'`, which spreadsheets take as "text" and do not show. A cell that
 * already starts with `'` gets one more, so the escape is reversible: the import removes exactly
 * one leading `'` when it is followed by one of these characters or by another `'`, and keeps a
 * `'` followed by anything else (`'t Hooft` stays as written).
 */
const escapedLead = /^['=+\-@\t\r]/;

export function escapeCsvCell(value: string): string {
  return escapedLead.test(value) ? `'${value}` : value;
}

export function unescapeCsvCell(value: string): string {
  return value.startsWith("'") && escapedLead.test(value.slice(1)) ? value.slice(1) : value;
}
