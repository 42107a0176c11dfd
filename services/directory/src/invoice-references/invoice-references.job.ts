import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionArgs } from '@portal/contracts';
import { recordEvents, type CallerMeta, type NewEvent } from '@portal/kit';
import { changesBetween, type AuditRecord } from '../audit/audit-trail.ts';
import { importEventOrigin, recordAuditBatch } from '../audit/record-batch.ts';
import { canonicalAmount } from '../domain/decimal-amount.rules.ts';
import {
  ConcurrentImportWrite,
  finishImportJob,
  ImportErrorLog,
  recordBatchProgress,
  writeImportBatch,
  type RejectedItem,
} from '../imports/import-job.repository.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import {
  accountIdsByNumber,
  findInvoiceReferencesByNumber,
  insertInvoiceReferences,
  updateInvoiceReferenceRows,
  type StoredInvoiceReference,
} from './invoice-references.repository.ts';
import { hashQuickPayCode, quickPayCodeMatches } from './quick-pay-code.ts';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export type InvoiceInput = ActionArgs<'directory.importInvoiceReferences'>['items'][number];

export interface InvoiceImportOptions {
  /** Items per transaction (their codes are hashed before it opens). */
  batchSize: number;
  /** Per-item errors kept on the job; the rejected count stays exact beyond it. */
  errorLimit: number;
}

export const defaultInvoiceImportOptions: InvoiceImportOptions = { batchSize: 250, errorLimit: 1000 };

export interface InvoiceImportRun {
  store: DirectoryStore;
  jobId: string;
  items: InvoiceInput[];
  caller: CallerMeta;
  options: InvoiceImportOptions;
}

/** An item and its 1-based position in the request, which is what its errors point at. */
interface NumberedItem {
  line: number;
  item: InvoiceInput;
}

/**
 * Imports the items in batches, one transaction each (references, audit, events, progress). Never
 * rejects: a failure ends the job as failed at the first item of its batch; batches before stay.
 * An item repeating an earlier item's number is rejected, pointing at the first.
 */
export async function runInvoiceReferenceImport(run: InvoiceImportRun): Promise<void> {
  const errorLog = new ImportErrorLog(run.options.errorLimit);
  const firstLine = new Map<string, number>();
  const numbered: NumberedItem[] = [];
  const repeated: RejectedItem[] = [];
  run.items.forEach((item, index) => {
    const line = index + 1;
    const first = firstLine.get(item.number.toLowerCase());
    if (first === undefined) firstLine.set(item.number.toLowerCase(), line);
    numbered.push({ line, item });
    if (first !== undefined) repeated.push({ line, messages: [`number: repeats item ${first}`] });
  });
  const repeatedLines = new Set(repeated.map((entry) => entry.line));

  let batchStart = 1;
  try {
    for (let start = 0; start < numbered.length; start += run.options.batchSize) {
      const batch = numbered.slice(start, start + run.options.batchSize);
      batchStart = batch[0]!.line;
      const good = batch.filter((entry) => !repeatedLines.has(entry.line));
      const rejected = repeated.filter((entry) => entry.line >= batchStart && entry.line <= batch.at(-1)!.line);
      let plan: BatchPlan = { hashes: new Map(), seen: new Map() };
      await writeImportBatch(
        () => run.store.read(),
        errorLog,
        (tx) => applyBatch(tx, run, { processed: batch.length, items: good, rejected, plan }, errorLog),
        // Hashing is slow on purpose: it happens here, before the batch's transaction opens.
        async () => {
          plan = await planQuickPayHashes(run.store.read(), good);
        },
      );
    }
    await finishImportJob(run.store.read(), run.jobId, { status: 'completed' });
  } catch (error) {
    const reason = `the import stopped at item ${batchStart}: ${messageOf(error)}`;
    await finishImportJob(run.store.read(), run.jobId, {
      status: 'failed',
      failure: reason,
      error: {
        line: batchStart,
        messages: [`${reason}; items before this one were imported, this one and later ones were not`],
      },
    }).catch(() => {});
  }
}

/** The quick-pay hash each item will store, computed outside the transaction from what was stored when we looked. */
interface BatchPlan {
  /** By lower-cased number: the hash to store. */
  hashes: Map<string, string | null>;
  /** By lower-cased number: the stored hash the plan was made from (`undefined`: no row). */
  seen: Map<string, string | null | undefined>;
}

async function planQuickPayHashes(em: EntityManager, items: NumberedItem[]): Promise<BatchPlan> {
  const stored = await findInvoiceReferencesByNumber(
    em,
    items.map(({ item }) => item.number),
    { forUpdate: false },
  );
  const plan: BatchPlan = { hashes: new Map(), seen: new Map() };
  await Promise.all(
    items.map(async ({ item }) => {
      const key = item.number.toLowerCase();
      const before = stored.get(key);
      plan.seen.set(key, before ? before.quickPayCodeHash : undefined);
      plan.hashes.set(key, await nextQuickPayHash(item, before));
    }),
  );
  return plan;
}

/** The stored hash after applying the input: kept when the code is unchanged or not given, new otherwise. */
async function nextQuickPayHash(input: InvoiceInput, stored: StoredInvoiceReference | undefined) {
  if (input.quickPayCode === undefined) return stored?.quickPayCodeHash ?? null;
  if (input.quickPayCode === null) return null;
  if (stored?.quickPayCodeHash && (await quickPayCodeMatches(input.quickPayCode, stored.quickPayCodeHash))) {
    return stored.quickPayCodeHash;
  }
  return hashQuickPayCode(input.quickPayCode);
}

const auditedFields = ['number', 'accountId', 'amount', 'currency', 'issuedAt', 'quickPayCode'] as const;

/** What the trail says about a quick-pay code: whether one is set or was replaced, never the code or its hash. */
function auditView(reference: Omit<StoredInvoiceReference, 'id'>, replacedCode = false) {
  const { quickPayCodeHash, ...rest } = reference;
  return { ...rest, quickPayCode: quickPayCodeHash === null ? null : replacedCode ? 'replaced' : 'set' };
}

async function applyBatch(
  tx: EntityManager,
  run: InvoiceImportRun,
  batch: { processed: number; items: NumberedItem[]; rejected: RejectedItem[]; plan: BatchPlan },
  errorLog: ImportErrorLog,
): Promise<number> {
  const rejected = [...batch.rejected];
  const accounts = await accountIdsByNumber(
    tx,
    batch.items.map(({ item }) => item.accountNumber),
  );
  const stored = await findInvoiceReferencesByNumber(
    tx,
    batch.items.map(({ item }) => item.number),
    { forUpdate: true },
  );
  const creates: Omit<StoredInvoiceReference, 'id'>[] = [];
  const updates: StoredInvoiceReference[] = [];
  const audit: AuditRecord[] = [];
  let unchanged = 0;
  for (const { line, item } of batch.items) {
    const accountId = accounts.get(item.accountNumber.toLowerCase());
    if (!accountId) {
      rejected.push({ line, messages: [`accountNumber: no live account ${item.accountNumber}`] });
      continue;
    }
    const key = item.number.toLowerCase();
    const before = stored.get(key);
    // Someone changed this reference since the hashes were planned: plan again.
    if ((before ? before.quickPayCodeHash : undefined) !== batch.plan.seen.get(key)) {
      throw new ConcurrentImportWrite('an invoice reference changed while its quick-pay code was hashed');
    }
    const next = {
      number: item.number,
      accountId,
      quickPayCodeHash: batch.plan.hashes.get(key) ?? null,
      amount: canonicalAmount(item.amount),
      currency: item.currency,
      issuedAt: item.issuedAt,
    };
    if (!before) {
      creates.push(next);
      continue;
    }
    if (Object.entries(next).every(([field, value]) => before[field as keyof typeof next] === value)) {
      unchanged += 1;
      continue;
    }
    updates.push({ ...next, id: before.id });
    const replaced = before.quickPayCodeHash !== null && next.quickPayCodeHash !== before.quickPayCodeHash;
    audit.push({
      entity: 'invoice-reference',
      entityId: before.id,
      action: 'updated',
      accountId,
      changes: changesBetween(auditView(before), auditView(next, replaced), auditedFields),
    });
  }

  const inserted = await insertInvoiceReferences(tx, creates);
  // Another import created one of these numbers since we looked: the batch is retried.
  if (inserted.length !== creates.length) throw new ConcurrentImportWrite('an invoice number was taken concurrently');
  inserted.forEach((created) => {
    audit.push({
      entity: 'invoice-reference',
      entityId: created.id,
      action: 'created',
      accountId: created.accountId,
      changes: changesBetween(null, auditView(created), auditedFields),
    });
  });
  await updateInvoiceReferenceRows(tx, updates);
  await recordAuditBatch(tx, run.caller, audit);
  const events: NewEvent[] = [];
  if (audit.length > 0) {
    events.push({
      type: 'directory.invoice-references.imported',
      data: {
        importId: run.jobId,
        created: inserted.length,
        updated: updates.length,
        invoiceReferenceIds: audit.map((entry) => entry.entityId),
      },
    });
  }
  await recordEvents(tx, events, importEventOrigin(run.caller, run.jobId));
  const kept = errorLog.toStore(rejected);
  await recordBatchProgress(
    tx,
    run.jobId,
    {
      processed: batch.processed,
      created: inserted.length,
      updated: updates.length,
      unchanged,
      rejected: rejected.length,
    },
    kept,
  );
  return kept.length;
}
