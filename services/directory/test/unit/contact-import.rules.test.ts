import { describe, expect, it } from 'vitest';
import { contactCsvColumns } from '@portal/contracts';
import {
  changedContactFields,
  checkContactCsvHeader,
  checkContactCsvRow,
  DuplicateEmailGuard,
  type ContactCsvHeader,
} from '../../src/contact-import/contact-csv.rules.ts';
import { ImportErrorLog } from '../../src/imports/import-job.repository.ts';

const header = (() => {
  const checked = checkContactCsvHeader([...contactCsvColumns]);
  if (!checked.ok) throw new Error('the canonical header must be valid');
  return checked.header;
})();

const row = (overrides: Partial<Record<(typeof contactCsvColumns)[number], string>> = {}) =>
  contactCsvColumns.map(
    (column) =>
      ({
        account_number: 'ACC-1',
        site_code: 'S1',
        first_name: 'Ann',
        last_name: 'Lee',
        email: 'Ann.Lee@Example.test',
        phone: '+49 (30) 123-45',
        title: 'Buyer',
        ...overrides,
      })[column],
  );

const messagesOf = (fields: string[], at: ContactCsvHeader = header) => {
  const checked = checkContactCsvRow(fields, at, 7);
  return checked.ok ? [] : checked.rejected.messages;
};

describe('contacts CSV header', () => {
  it('accepts the columns in any order and case, and says where each one is', () => {
    const checked = checkContactCsvHeader([
      ' Email',
      'TITLE',
      ...contactCsvColumns.filter((c) => !['email', 'title'].includes(c)),
    ]);
    expect(checked).toMatchObject({ ok: true, header: { email: 0, title: 1, account_number: 2 } });
  });

  it('names missing, unknown and repeated columns', () => {
    const checked = checkContactCsvHeader([
      'account_number',
      'first_name',
      'first_name',
      'last_name',
      'mail',
      'phone',
      '',
    ]);
    expect(checked).toEqual({
      ok: false,
      problems: [
        'missing columns: site_code, email, title',
        'unknown columns: mail, (empty)',
        'repeated columns: first_name',
      ],
    });
  });
});

describe('contacts CSV row', () => {
  it('normalises a valid row as the contact actions store it', () => {
    const checked = checkContactCsvRow(row({ first_name: '  Ann ', phone: '', title: ' ' }), header, 3);
    expect(checked).toEqual({
      ok: true,
      row: {
        line: 3,
        accountNumber: 'ACC-1',
        siteCode: 'S1',
        firstName: 'Ann',
        lastName: 'Lee',
        email: 'ann.lee@example.test',
        phone: null,
        title: null,
      },
    });
    expect(checkContactCsvRow(row({ site_code: '' }), header, 3)).toMatchObject({ ok: true, row: { siteCode: null } });
  });

  it('requires account number, names and e-mail, and says so once per column', () => {
    expect(messagesOf(row({ account_number: '', first_name: ' ', last_name: '', email: '' }))).toEqual([
      'account_number: required',
      'first_name: required',
      'last_name: required',
      'email: required',
    ]);
  });

  it('rejects a bad e-mail, phone, code and over-long fields with the column in the message', () => {
    expect(messagesOf(row({ email: 'ann(at)example.test' }))).toEqual([expect.stringMatching(/^email: /)]);
    expect(messagesOf(row({ phone: 'call me' }))).toEqual(['phone: digits, spaces and + ( ) . / - only']);
    expect(messagesOf(row({ account_number: 'ACC #1' }))).toEqual(['account_number: letters, digits and . _ - / only']);
    expect(messagesOf(row({ site_code: 'S 1' }))).toEqual(['site_code: letters, digits and . _ - / only']);
    expect(messagesOf(row({ last_name: 'x'.repeat(101), title: 'y'.repeat(101) }))).toEqual([
      expect.stringMatching(/^last_name: /),
      expect.stringMatching(/^title: /),
    ]);
  });

  it('rejects a record with the wrong number of fields', () => {
    expect(messagesOf(row().slice(0, 6))).toEqual(['expected 7 fields, found 6']);
    expect(messagesOf([...row(), 'extra'])).toEqual(['expected 7 fields, found 8']);
  });
});

describe('duplicate e-mails within a file', () => {
  it('lets the first row of an (account, e-mail) pair through and points later ones at it', () => {
    const guard = new DuplicateEmailGuard();
    expect(guard.claim({ accountNumber: 'ACC-1', email: 'a@x.test', line: 2 })).toBeNull();
    expect(guard.claim({ accountNumber: 'ACC-2', email: 'a@x.test', line: 3 })).toBeNull();
    expect(guard.claim({ accountNumber: 'acc-1', email: 'a@x.test', line: 9 })).toBe(2);
  });
});

describe('changed fields', () => {
  const stored = { siteId: null, firstName: 'Ann', lastName: 'Lee', phone: null, title: '' };

  it('finds nothing for the same values, blank and null being the same', () => {
    expect(changedContactFields(stored, { ...stored, title: null })).toEqual([]);
  });

  it('names each field that differs', () => {
    expect(changedContactFields(stored, { ...stored, siteId: 'site-1', title: 'Buyer' })).toEqual(['siteId', 'title']);
  });
});

describe('import error log', () => {
  it('keeps the first entries up to its limit, in line order', () => {
    const log = new ImportErrorLog(3);
    const first = log.toStore([
      { line: 5, messages: ['b'] },
      { line: 2, messages: ['a'] },
    ]);
    expect(first.map((entry) => entry.line)).toEqual([2, 5]);
    log.kept(first.length);
    const second = log.toStore([
      { line: 9, messages: ['d'] },
      { line: 7, messages: ['c'] },
    ]);
    expect(second.map((entry) => entry.line)).toEqual([7]);
    log.kept(second.length);
    expect(log.toStore([{ line: 11, messages: ['e'] }])).toEqual([]);
  });
});

describe('contacts CSV cells and the shared text rules', () => {
  it('rejects a row whose cells hold NUL, lone surrogates or control characters, naming the column', () => {
    expect(messagesOf(row({ first_name: 'An\u0000n' }))).toEqual(['first_name: must not contain NUL characters']);
    expect(messagesOf(row({ last_name: 'L\ud800ee' }))).toEqual([
      'last_name: must be valid Unicode (no lone surrogates)',
    ]);
    expect(messagesOf(row({ title: 'Buyer\u001b[31m' }))).toEqual([
      'title: must be a single line without control characters',
    ]);
    expect(messagesOf(row({ account_number: 'ACC\u00001' }))).toHaveLength(1);
  });

  it('stores names in NFC, as the contact actions do', () => {
    const checked = checkContactCsvRow(row({ first_name: 'Zoe\u0308' }), header, 3);
    expect(checked.ok && checked.row.firstName).toBe('Zo\u00eb');
  });
});
