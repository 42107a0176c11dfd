import type moleculer from 'moleculer';
import { callerOf, contractAction } from '@portal/kit';
import { directoryError } from '../errors.ts';
import { findImportJob, startImportJob } from '../imports/import-job.repository.ts';
import { defaultImportLimits, type ImportLimits } from '../imports/import-limits.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import { listInvoiceReferencePage } from './invoice-references.repository.ts';
import { verifyRegistrationClaim } from './registration-claim.ts';
import {
  defaultInvoiceImportOptions,
  runInvoiceReferenceImport,
  type InvoiceImportOptions,
} from './invoice-references.job.ts';

export interface InvoiceReferenceDeps {
  limits?: ImportLimits;
  /** Tests use small batches to watch progress; production keeps the defaults. */
  importOptions?: Partial<InvoiceImportOptions>;
}

export function invoiceReferenceActions(
  store: DirectoryStore,
  deps: InvoiceReferenceDeps = {},
): Record<string, moleculer.ActionSchema> {
  const limits = deps.limits ?? defaultImportLimits;
  const options = { ...defaultInvoiceImportOptions, ...deps.importOptions };
  return {
    listInvoiceReferences: contractAction('directory.listInvoiceReferences', (args) =>
      listInvoiceReferencePage(store.read(), args),
    ),

    importInvoiceReferences: contractAction('directory.importInvoiceReferences', async ({ items }, ctx) => {
      if (items.length > limits.maxInvoiceReferences) {
        throw directoryError('IMPORT_TOO_LARGE', {
          message: `An import may hold at most ${limits.maxInvoiceReferences} invoice references; this one has ${items.length}.`,
          details: { maxItems: limits.maxInvoiceReferences, items: items.length },
        });
      }
      const caller = callerOf(ctx);
      const job = await startImportJob(store.read(), { kind: 'invoice-references', actor: caller.actor, limits });
      // The job goes on after the answer (202); it records its own outcome and never rejects.
      void runInvoiceReferenceImport({ store, jobId: job.id, items, caller, options });
      return job;
    }),

    verifyInvoiceForRegistration: contractAction('directory.verifyInvoiceForRegistration', (claim) =>
      verifyRegistrationClaim(store.read(), claim),
    ),

    getInvoiceReferenceImport: contractAction('directory.getInvoiceReferenceImport', async ({ importId }) => {
      const job = await findImportJob(store.read(), importId, 'invoice-references');
      if (!job) throw directoryError('IMPORT_NOT_FOUND', { message: 'No invoice reference import with this id.' });
      return job;
    }),
  };
}
