import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJob } from '@portal/contracts';
import { openDirectoryHarness, type DirectoryHarness } from './directory-harness.ts';

let dir: DirectoryHarness;
let allowedAccountId: string;
let existingContactId: string;

const finished = (job: ImportJob): Promise<ImportJob> => dir.invoiceImportFinished(job);

const invoice = { amount: '99.00', currency: 'EUR', issuedAt: '2026-03-01' };

beforeAll(async () => {
  dir = await openDirectoryHarness();
  const open = await dir.call('directory.createAccountClass', { name: 'Self-service', allowSelfRegistration: true });
  const closed = await dir.call('directory.createAccountClass', { name: 'Staff only', allowSelfRegistration: false });
  const allowed = await dir.call('directory.createAccount', { number: 'REG-OPEN', name: 'Open Ltd' });
  const disallowed = await dir.call('directory.createAccount', { number: 'REG-CLOSED', name: 'Closed Ltd' });
  await dir.call('directory.setAccountClass', { accountId: allowed.id, classId: open.id });
  await dir.call('directory.setAccountClass', { accountId: disallowed.id, classId: closed.id });
  allowedAccountId = allowed.id;
  existingContactId = (
    await dir.call('directory.createContact', {
      accountId: allowed.id,
      firstName: 'Ada',
      lastName: 'Known',
      email: 'ada@open.test',
    })
  ).id;
  const job = await finished(
    await dir.call('directory.importInvoiceReferences', {
      items: [
        { ...invoice, number: 'INV-OPEN-1', accountNumber: 'REG-OPEN', quickPayCode: 'QP-OPEN-1' },
        { ...invoice, number: 'INV-OPEN-NOCODE', accountNumber: 'REG-OPEN' },
        { ...invoice, number: 'INV-CLOSED-1', accountNumber: 'REG-CLOSED', quickPayCode: 'QP-CLOSED-1' },
      ],
    }),
  );
  expect(job).toMatchObject({ status: 'completed', created: 3 });
  await dir.call('directory.updateSystemOptions', { selfRegistration: true });
});
afterAll(async () => {
  await dir?.close();
});

const verify = (claim: Record<string, string>) =>
  dir.call('directory.verifyInvoiceForRegistration', { email: 'new@open.test', ...claim } as never);

describe('directory.verifyInvoiceForRegistration', () => {
  it('matches the quick-pay code against its hash, case-insensitively by invoice number, and names no contact for a new e-mail', async () => {
    expect(await verify({ invoiceNumber: 'inv-open-1', quickPayCode: 'QP-OPEN-1' })).toEqual({
      matched: true,
      accountId: allowedAccountId,
      contactId: null,
    });
  });

  it("matches the account number and finds the account's live contact by e-mail", async () => {
    expect(
      await verify({ invoiceNumber: 'INV-OPEN-NOCODE', accountNumber: 'reg-open', email: 'ADA@open.test' }),
    ).toEqual({ matched: true, accountId: allowedAccountId, contactId: existingContactId });
  });

  it('says only "no" for a wrong code, a wrong account number, an unknown invoice, a code on an invoice without one, and a class that disallows it', async () => {
    const refusals: Record<string, string>[] = [
      { invoiceNumber: 'INV-OPEN-1', quickPayCode: 'QP-OPEN-2' },
      { invoiceNumber: 'INV-OPEN-1', accountNumber: 'REG-CLOSED' },
      { invoiceNumber: 'INV-NOWHERE', quickPayCode: 'QP-OPEN-1' },
      { invoiceNumber: 'INV-NOWHERE', accountNumber: 'REG-OPEN' },
      { invoiceNumber: 'INV-OPEN-NOCODE', quickPayCode: 'anything' },
      { invoiceNumber: 'INV-CLOSED-1', quickPayCode: 'QP-CLOSED-1' },
      { invoiceNumber: 'INV-CLOSED-1', accountNumber: 'REG-CLOSED' },
    ];
    for (const claim of refusals) expect(await verify(claim), JSON.stringify(claim)).toEqual({ matched: false });
  });

  it('refuses every claim while the system option is off', async () => {
    await dir.call('directory.updateSystemOptions', { selfRegistration: false });
    try {
      expect(await verify({ invoiceNumber: 'INV-OPEN-1', quickPayCode: 'QP-OPEN-1' })).toEqual({ matched: false });
    } finally {
      await dir.call('directory.updateSystemOptions', { selfRegistration: true });
    }
  });
});
