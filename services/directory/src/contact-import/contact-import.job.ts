import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvents, type CallerMeta, type NewEvent, type ServiceOrm } from '@portal/kit';
import { changesBetween, type AuditRecord } from '../audit/audit-trail.ts';
import { importEventOrigin, recordAuditBatch } from '../audit/record-batch.ts';
import { canonicalScope, siteMoveChangesScope } from '../domain/access-scope.rules.ts';
import {
  ConcurrentImportWrite,
  finishImportJob,
  ImportErrorLog,
  recordBatchProgress,
  writeImportBatch,
  type BatchCounts,
} from '../imports/import-job.repository.ts';
import { CsvReadError, messageOf, type ContactCsvReader } from './contact-csv.reader.ts';
import {
  changedContactFields,
  checkContactCsvRow,
  duplicateEmailMessage,
  DuplicateEmailGuard,
  type ContactCsvRow,
  type ImportedContactFields,
  type RejectedRow,
} from './contact-csv.rules.ts';
import {
  contactKeyOf,
  findAccountsByNumber,
  findSitesByCode,
  insertContacts,
  lockContactsByEmail,
  siteKeyOf,
  updateContacts,
  type ContactWrite,
  type ImportAccount,
} from './contact-import.repository.ts';

export interface ContactImportOptions {
  /** Rows (good and bad) per transaction. */
  batchSize: number;
  /** Per-row errors kept on the job; the rejected count stays exact beyond it. */
  errorLimit: number;
  /** Data rows per file; the job stops (failed) at the first row beyond it. */
  maxRows: number;
}

export const defaultContactImportOptions: ContactImportOptions = {
  batchSize: 1000,
  errorLimit: 1000,
  maxRows: 100_000,
};

/** The file has more data rows than `maxRows`: the job ends failed at that line. */
class TooManyRows extends Error {
  readonly line: number;

  constructor(line: number, maxRows: number) {
    super(`the file has more than ${maxRows} data rows (IMPORT_TOO_LARGE); split it into smaller files`);
    this.line = line;
  }
}

export interface ContactImportRun {
  orm: ServiceOrm;
  jobId: string;
  reader: ContactCsvReader;
  caller: CallerMeta;
  options: ContactImportOptions;
}

/**
 * Imports the records in batches, one transaction each (contacts, audit, events, progress). Never
 * rejects: a failure ends the job as failed, with the line it stopped at, and rows before it stay.
 */
export async function runContactImport(run: ContactImportRun): Promise<void> {
  const errorLog = new ImportErrorLog(run.options.errorLimit);
  const guard = new DuplicateEmailGuard();
  let rows: ContactCsvRow[] = [];
  let rejected: RejectedRow[] = [];
  let batchStart = run.reader.nextLine();
  let dataRows = 0;
  // Sequential on purpose: overlapping parsing with the previous batch's write gained nothing
  // measurable (PostgreSQL's writes dominate), so the simpler order stays.
  const flush = async () => {
    if (rows.length + rejected.length > 0) await writeBatch(run, rows, rejected, errorLog);
    rows = [];
    rejected = [];
    batchStart = run.reader.nextLine();
  };

  try {
    try {
      for await (const record of run.reader.records) {
        dataRows += 1;
        if (dataRows > run.options.maxRows) throw new TooManyRows(record.line, run.options.maxRows);
        const checked = checkContactCsvRow(record.fields, run.reader.header, record.line);
        if (!checked.ok) {
          rejected.push(checked.rejected);
        } else {
          const earlier = guard.claim(checked.row);
          if (earlier === null) rows.push(checked.row);
          else rejected.push({ line: record.line, messages: [duplicateEmailMessage(earlier)] });
        }
        if (rows.length + rejected.length >= run.options.batchSize) await flush();
      }
    } catch (error) {
      if (!(error instanceof CsvReadError) && !(error instanceof TooManyRows)) throw error;
      // The file breaks (or passes the cap) here: keep what was read before this line, then stop.
      run.reader.abandon();
      await flush();
      const reason =
        error instanceof CsvReadError
          ? `the CSV could not be read at line ${error.line}: ${error.message}`
          : `the import stopped at line ${error.line}: ${error.message}`;
      await fail(run, error.line, reason);
      return;
    }
    await flush();
    await finishImportJob(run.orm.em.fork(), run.jobId, { status: 'completed' });
  } catch (error) {
    run.reader.abandon();
    // batchStart is still the first line of the batch that failed: flush resets it only after a commit.
    await fail(run, batchStart, `the import stopped at line ${batchStart}: ${messageOf(error)}`).catch(() => {});
  }
}

async function fail(run: ContactImportRun, line: number, reason: string): Promise<void> {
  const message = `${reason}; rows before this line were imported, this one and later ones were not`;
  await finishImportJob(run.orm.em.fork(), run.jobId, {
    status: 'failed',
    failure: reason,
    error: { line, messages: [message] },
  });
}

async function writeBatch(
  run: ContactImportRun,
  rows: ContactCsvRow[],
  rejected: RejectedRow[],
  errorLog: ImportErrorLog,
): Promise<void> {
  await writeImportBatch(
    () => run.orm.em.fork(),
    errorLog,
    (tx) => applyBatch(tx, run, rows, rejected, errorLog),
  );
}

interface ResolvedRow {
  row: ContactCsvRow;
  account: ImportAccount;
  fields: ImportedContactFields;
}

/** One batch, set-based: resolve accounts and sites, lock matches, insert, update, audit, events, progress. */
async function applyBatch(
  tx: EntityManager,
  run: ContactImportRun,
  rows: ContactCsvRow[],
  rulesRejected: RejectedRow[],
  errorLog: ImportErrorLog,
): Promise<number> {
  const rejected = [...rulesRejected];
  const resolved = await resolveReferences(tx, rows, rejected);
  const existing = await lockContactsByEmail(
    tx,
    resolved.map(({ row, account }) => ({ account_id: account.id, email: row.email })),
  );

  const creates: ContactWrite[] = [];
  const updates: ContactWrite[] = [];
  const audit: AuditRecord[] = [];
  const events: NewEvent[] = [];
  let unchanged = 0;
  for (const { row, account, fields } of resolved) {
    const before = existing.get(contactKeyOf(account.id, row.email));
    if (!before) {
      const contact = { id: randomUUID(), accountId: account.id, email: row.email, ...fields };
      creates.push(contact);
      audit.push({
        entity: 'contact',
        entityId: contact.id,
        accountId: account.id,
        contactId: contact.id,
        action: 'created',
        changes: changesBetween(null, { ...fields, email: row.email }, [...auditedFields]),
      });
      events.push({
        type: 'directory.contact.created',
        accountId: account.id,
        data: {
          contactId: contact.id,
          accountId: account.id,
          siteId: fields.siteId,
          email: row.email,
          autoSendInvite: account.autoSendInvite,
        },
      });
      continue;
    }
    const changed = changedContactFields(before, fields);
    if (changed.length === 0) {
      unchanged += 1;
      continue;
    }
    updates.push({ ...before, ...fields });
    audit.push({
      entity: 'contact',
      entityId: before.id,
      accountId: account.id,
      contactId: before.id,
      action: 'updated',
      changes: changesBetween(before, fields, changed),
    });
    events.push({
      type: 'directory.contact.updated',
      accountId: account.id,
      data: { contactId: before.id, accountId: account.id, changed },
    });
    if (siteMoveChangesScope(before.accessStatus, before.siteId, fields.siteId)) {
      const scope = canonicalScope(before.scope);
      audit.push({
        entity: 'access-scope',
        entityId: before.id,
        accountId: account.id,
        contactId: before.id,
        action: 'scope-changed',
        changes: { siteId: { from: before.siteId, to: fields.siteId } },
      });
      events.push({
        type: 'directory.access-scope.changed',
        accountId: account.id,
        data: { contactId: before.id, accountId: account.id, scope },
      });
    }
  }

  const inserted = await insertContacts(tx, creates);
  // Someone else created a contact with one of the batch's e-mails since we looked; the batch is retried.
  if (inserted.size !== creates.length) throw new ConcurrentImportWrite('a contact e-mail was taken concurrently');
  await updateContacts(tx, updates);
  await recordAuditBatch(tx, run.caller, audit);
  await recordEvents(tx, events, importEventOrigin(run.caller, run.jobId));

  const counts: BatchCounts = {
    processed: rows.length + rulesRejected.length,
    created: creates.length,
    updated: updates.length,
    unchanged,
    rejected: rejected.length,
  };
  const stored = errorLog.toStore(rejected);
  await recordBatchProgress(tx, run.jobId, counts, stored);
  return stored.length;
}

const auditedFields = ['firstName', 'lastName', 'email', 'phone', 'title', 'siteId'] as const;

/** Accounts by number and sites by code, for the whole batch at once; rows that do not resolve are rejected. */
async function resolveReferences(
  tx: EntityManager,
  rows: ContactCsvRow[],
  rejected: RejectedRow[],
): Promise<ResolvedRow[]> {
  const accounts = await findAccountsByNumber(tx, [...new Set(rows.map((row) => row.accountNumber.toLowerCase()))]);
  const withAccount: { row: ContactCsvRow; account: ImportAccount }[] = [];
  for (const row of rows) {
    const account = accounts.get(row.accountNumber.toLowerCase());
    if (!account) rejected.push({ line: row.line, messages: ['account_number: no account has this number'] });
    else if (account.archived) rejected.push({ line: row.line, messages: ['account_number: the account is archived'] });
    else withAccount.push({ row, account });
  }
  const sites = await findSitesByCode(
    tx,
    withAccount
      .filter(({ row }) => row.siteCode !== null)
      .map(({ row, account }) => ({ account_id: account.id, code: row.siteCode ?? '' })),
  );
  const resolved: ResolvedRow[] = [];
  for (const { row, account } of withAccount) {
    let siteId: string | null = null;
    if (row.siteCode !== null) {
      const site = sites.get(siteKeyOf(account.id, row.siteCode));
      if (!site || site.archived) {
        const problem = site ? 'the site is archived' : `account ${account.number} has no site with this code`;
        rejected.push({ line: row.line, messages: [`site_code: ${problem}`] });
        continue;
      }
      siteId = site.id;
    }
    const fields = { siteId, firstName: row.firstName, lastName: row.lastName, phone: row.phone, title: row.title };
    resolved.push({ row, account, fields });
  }
  return resolved;
}
