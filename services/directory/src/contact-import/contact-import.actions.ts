import type moleculer from 'moleculer';
import { callerOf, contractAction, type ServiceOrm } from '@portal/kit';
import { findImportJob, startImportJob } from '../imports/import-job.repository.ts';
import type { ImportLimits } from '../imports/import-limits.ts';
import { openContactCsv } from './contact-csv.reader.ts';
import { contactCsvExport } from './contact-export.stream.ts';
import { defaultContactImportOptions, runContactImport, type ContactImportOptions } from './contact-import.job.ts';
import { directoryError } from '../errors.ts';
import { defaultImportLimits } from '../imports/import-limits.ts';

export interface ContactImportDeps {
  orm: ServiceOrm;
  /** The caps on rows and running imports (defaults: `defaultImportLimits`). */
  limits?: ImportLimits;
  /** Tests use small batches to watch progress; production keeps the defaults. */
  importOptions?: Partial<ContactImportOptions>;
}

/** Contacts CSV: start an import job, follow it, export in the same format. */
export function contactImportActions(deps: ContactImportDeps): Record<string, moleculer.ActionSchema> {
  const limits = deps.limits ?? defaultImportLimits;
  const options = { ...defaultContactImportOptions, maxRows: limits.maxContactRows, ...deps.importOptions };
  return {
    startContactImport: contractAction('directory.startContactImport', async (params, ctx) => {
      const caller = callerOf(ctx);
      // Over the transporter a request body travels as the call's stream; in one process it may be the params.
      const reader = await openContactCsv(ctx.stream ?? params);
      const job = await startImportJob(deps.orm.em, { kind: 'contacts', actor: caller.actor, limits }).catch(
        (error: unknown) => {
          reader.abandon();
          throw error;
        },
      );
      // The job goes on after the answer (202); it records its own outcome and never rejects.
      void runContactImport({ orm: deps.orm, jobId: job.id, reader, caller, options });
      return job;
    }),

    getContactImport: contractAction('directory.getContactImport', async ({ importId }) => {
      const job = await findImportJob(deps.orm.em.fork(), importId, 'contacts');
      if (!job) throw directoryError('IMPORT_NOT_FOUND', { message: 'No contact import with this id.' });
      return job;
    }),

    exportContacts: contractAction('directory.exportContacts', async ({ accountId }) => {
      if (accountId !== undefined) {
        const found = await deps.orm.em.fork().execute('select 1 from account where id = ?', [accountId]);
        if (found.length === 0) throw directoryError('ACCOUNT_NOT_FOUND', { message: 'No account with this id.' });
      }
      return contactCsvExport(deps.orm, accountId);
    }),
  };
}
