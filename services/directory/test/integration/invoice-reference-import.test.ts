import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ImportJob } from '@portal/contracts';
import type * as quickPayCode from '../../src/invoice-references/quick-pay-code.ts';
import { hashQuickPayCode } from '../../src/invoice-references/quick-pay-code.ts';
import { openDirectoryHarness, outboxEvents, staffActor, type DirectoryHarness } from './directory-harness.ts';

// Watched, not replaced: the test sees when codes are hashed.
vi.mock('../../src/invoice-references/quick-pay-code.ts', async (original) => {
  const actual = await original<typeof quickPayCode>();
  return { ...actual, hashQuickPayCode: vi.fn(actual.hashQuickPayCode) };
});

let dir: DirectoryHarness;

beforeAll(async () => {
  dir = await openDirectoryHarness({
    importLimits: { maxInvoiceReferences: 5, maxRunningPerPrincipal: 1, maxRunning: 3, retryAfterSeconds: 17 },
  });
});
afterAll(async () => {
  await dir?.close();
});

const finished = (job: ImportJob): Promise<ImportJob> => dir.invoiceImportFinished(job);

const importAndWait = async (items: object[]) =>
  finished(await dir.call('directory.importInvoiceReferences', { items } as never));

const base = { amount: '1250', currency: 'EUR', issuedAt: '2026-01-31' };

describe('invoice reference import job', () => {
  it('imports as a job with per-item errors, an audit entry per reference and an event per batch', async () => {
    const account = await dir.call('directory.createAccount', { number: 'INV-ACC', name: 'Invoiced' });
    const items = [
      { ...base, number: 'INV-1', accountNumber: 'inv-acc', quickPayCode: 'QP-1234' },
      { ...base, number: 'INV-2', accountNumber: 'INV-ACC', amount: '-10.5', issuedAt: '2026-02-01' },
      { ...base, number: 'INV-3', accountNumber: 'NOPE' },
      { ...base, number: 'inv-1', accountNumber: 'INV-ACC' },
    ];
    const started = await dir.call('directory.importInvoiceReferences', { items });
    expect(started).toMatchObject({ status: 'running', processedRows: 0, finishedAt: null });
    const job = await finished(started);
    expect(job).toMatchObject({ status: 'completed', totalRows: 4, created: 2, updated: 0, unchanged: 0, rejected: 2 });
    expect(job.errors).toEqual([
      { line: 3, messages: ['accountNumber: no live account NOPE'] },
      { line: 4, messages: ['number: repeats item 1'] },
    ]);

    const trail = await dir.call('directory.listAccountAudit', { accountId: account.id });
    const entries = trail.items.filter((entry) => entry.entity === 'invoice-reference');
    expect(entries).toHaveLength(2);
    expect(entries.find((entry) => entry.changes.number?.to === 'INV-1')).toMatchObject({
      actor: staffActor,
      action: 'created',
      sourceIp: '203.0.113.7',
      changes: { quickPayCode: { from: null, to: 'set' }, amount: { from: null, to: '1250.00' } },
    });
    const events = await outboxEvents(dir, 'directory.invoice-references.imported');
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({
      importId: job.id,
      created: 2,
      updated: 0,
      invoiceReferenceIds: expect.arrayContaining(entries.map((entry) => entry.entityId)),
    });
    expect(events[0]!.actor).toEqual(staffActor);

    // Again: nothing changes, nothing is recorded.
    expect(await importAndWait(items.slice(0, 2))).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    // A new code and an amount written differently: one update, audited without the code.
    const changed = await importAndWait([
      { ...items[0]!, quickPayCode: 'QP-9999' },
      { ...items[1]!, amount: '-10.50' },
    ]);
    expect(changed).toMatchObject({ status: 'completed', created: 0, updated: 1, unchanged: 1, rejected: 0 });
    const updated = (await dir.call('directory.listAccountAudit', { accountId: account.id })).items[0];
    expect(updated).toMatchObject({
      entity: 'invoice-reference',
      action: 'updated',
      changes: { quickPayCode: { from: 'set', to: 'replaced' } },
    });
    expect(await outboxEvents(dir, 'directory.invoice-references.imported')).toHaveLength(2);

    const listed = await dir.call('directory.listInvoiceReferences', { accountId: account.id });
    expect(listed.items).toMatchObject([
      { number: 'INV-1', amount: '1250.00', issuedAt: '2026-01-31', hasQuickPayCode: true },
      { number: 'INV-2', amount: '-10.50', issuedAt: '2026-02-01', hasQuickPayCode: false },
    ]);
    // Neither the code nor its hash leaves the table: not in answers, the trail or the events.
    const [stored] = await dir.rows<{ quick_pay_code_hash: string }>(
      "select quick_pay_code_hash from invoice_reference where number = 'INV-1'",
    );
    expect(stored?.quick_pay_code_hash).toMatch(/^scrypt\$/);
    const traces = JSON.stringify([
      listed,
      await dir.rows('select changes from audit_entry'),
      await dir.rows('select envelope from outbox'),
    ]);
    expect(traces).not.toContain('QP-');
    expect(traces).not.toContain('scrypt');

    // An invoice import is not a contact import.
    const other = await dir.failure('directory.getContactImport', { importId: job.id });
    expect([other.code, other.type]).toEqual([404, 'IMPORT_NOT_FOUND']);
  });

  it('refuses more items than the cap with 413 IMPORT_TOO_LARGE, before any job starts', async () => {
    const jobs = await dir.count('select count(*) from import_job');
    const items = Array.from({ length: 6 }, (_, i) => ({ ...base, number: `BIG-${i}`, accountNumber: 'INV-ACC' }));
    const refused = await dir.failure('directory.importInvoiceReferences', { items });
    expect([refused.code, refused.type]).toEqual([413, 'IMPORT_TOO_LARGE']);
    expect(refused.details).toEqual({ maxItems: 5, items: 6 });
    expect(await dir.count('select count(*) from import_job')).toBe(jobs);
  });

  it('caps running imports per user and in total (429 with a retry hint); a dead import frees its slot', async () => {
    const items = [{ ...base, number: 'CAP-1', accountNumber: 'INV-ACC' }];
    const running = async (actor: object, progressedAgo = '1 second') => {
      const id = randomUUID();
      await dir.rows(
        `insert into import_job (id, kind, status, actor, progressed_at)
         values (?, 'contacts', 'running', ?::jsonb, now() - ?::interval)`,
        [id, JSON.stringify(actor), progressedAgo],
      );
      return id;
    };
    const asUser = (userId: string) => ({ actor: { kind: 'staff', userId } });

    const mine = await running(staffActor);
    const perUser = await dir.failure('directory.importInvoiceReferences', { items });
    expect([perUser.code, perUser.type]).toEqual([429, 'IMPORT_LIMIT_REACHED']);
    expect(perUser.details).toMatchObject({ retryAfterSeconds: 17, per: 'user', limit: 1 });
    // Another user still gets a slot.
    await finished(await dir.call('directory.importInvoiceReferences', { items }, asUser('staff-2')));

    await running({ kind: 'staff', userId: 'staff-3' });
    await running({ kind: 'staff', userId: 'staff-4' });
    const total = await dir.failure('directory.importInvoiceReferences', { items }, asUser('staff-5'));
    expect([total.code, total.type]).toEqual([429, 'IMPORT_LIMIT_REACHED']);
    expect(total.details).toMatchObject({ retryAfterSeconds: 17, per: 'installation', limit: 3 });

    // The jobs whose process died (no progress for over 10 minutes) are failed and free their slots.
    await dir.rows(`update import_job set progressed_at = now() - interval '11 minutes' where status = 'running'`);
    const job = await finished(await dir.call('directory.importInvoiceReferences', { items }));
    expect(job.status).toBe('completed');
    const [dead] = await dir.rows<{ status: string }>('select status from import_job where id = ?', [mine]);
    expect(dead?.status).toBe('failed');
  });

  it('hashes quick-pay codes before its transaction opens, so a locked table does not hold the hashing up', async () => {
    const hashed = vi.mocked(hashQuickPayCode);
    hashed.mockClear();
    const items = [1, 2, 3].map((i) => ({
      ...base,
      number: `LOCK-${i}`,
      accountNumber: 'INV-ACC',
      quickPayCode: `QP-L${i}`,
    }));
    let job: ImportJob | undefined;
    // Another session holds the table: reads go on, the import's locking read and writes wait.
    await dir.scratch.orm.em.fork().transactional(async (tx) => {
      await tx.execute('lock table invoice_reference in exclusive mode');
      job = await dir.call(
        'directory.importInvoiceReferences',
        { items },
        { actor: { kind: 'staff', userId: 'lock' } },
      );
      const deadline = Date.now() + 10_000;
      while (hashed.mock.calls.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(hashed.mock.calls.length).toBe(3);
      expect((await dir.call('directory.getInvoiceReferenceImport', { importId: job.id })).processedRows).toBe(0);
    });
    expect(await finished(job!)).toMatchObject({ status: 'completed', created: 3 });
  });
});
