import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvents, type CallerMeta, type NewEvent, type ServiceOrm } from '@portal/kit';
import { changesBetween } from '../audit/audit-trail.ts';
import { CsvReadError, messageOf, type ContactCsvReader } from './contact-csv.reader.ts';
import {
  changedContactFields,
  checkContactCsvRow,
  duplicateEmailMessage,
  DuplicateEmailGuard,
  ImportErrorLog,
  type ContactCsvRow,
  type ImportedContactFields,
  type RejectedRow,
} from './contact-csv.rules.ts';
import {
  appendContactAudit,
  contactKeyOf,
  findAccountsByNumber,
  findSitesByCode,
  finishImportJob,
  insertContacts,
  lockContactsByEmail,
  recordBatchProgress,
  siteKeyOf,
  updateContacts,
  type BatchCounts,
  type ContactAudit,
  type ContactWrite,
  type ImportAccount,
} from './contact-import.repository.ts';

export interface ContactImportOptions {
  /** Rows (good and bad) per transaction. */
  batchSize: number;
  /** Per-row errors kept on the job; the rejected count stays exact beyond it. */
  errorLimit: number;
}

export const defaultContactImportOptions: ContactImportOptions = { batchSize: 1000, errorLimit: 1000 };

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
      if (!(error instanceof CsvReadError)) throw error;
      // The file breaks here: keep what was read before the broken line, then stop.
      run.reader.abandon();
      await flush();
      await fail(run, error.line, `the CSV could not be read at line ${error.line}: ${error.message}`);
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

/** Someone else created a contact with one of the batch's e-mails since we looked; the batch is retried. */
class ConcurrentContactWrite extends Error {}

async function writeBatch(
  run: ContactImportRun,
  rows: ContactCsvRow[],
  rejected: RejectedRow[],
  errorLog: ImportErrorLog,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const stored = await run.orm.em.fork().transactional((tx) => applyBatch(tx, run, rows, rejected, errorLog));
      errorLog.kept(stored);
      return;
    } catch (error) {
      if (!(error instanceof ConcurrentContactWrite) || attempt >= 3) throw error;
    }
  }
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
  const audit: ContactAudit[] = [];
  const events: NewEvent[] = [];
  let unchanged = 0;
  for (const { row, account, fields } of resolved) {
    const before = existing.get(contactKeyOf(account.id, row.email));
    if (!before) {
      const contact = { id: randomUUID(), accountId: account.id, email: row.email, ...fields };
      creates.push(contact);
      audit.push({
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
  }

  const inserted = await insertContacts(tx, creates);
  if (inserted.size !== creates.length) throw new ConcurrentContactWrite('a contact e-mail was taken concurrently');
  await updateContacts(tx, updates);
  await appendContactAudit(tx, run.caller, audit);
  await recordEvents(tx, events, {
    actor: run.caller.actor,
    // Without a request id, the import job ties its events together.
    traceId: run.caller.requestId ?? run.jobId,
    requestId: run.caller.requestId,
    sourceAddress: run.caller.sourceIp,
  });

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
