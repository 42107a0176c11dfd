import moleculer from 'moleculer';
import type { ActionResult, Actor } from '@portal/contracts';
import { DurableEventsMigration } from '@portal/kit';
import { contractCaller, openScratchSchema, type ContractCaller, type ScratchSchema } from '@portal/testing';
import { directoryService } from '../../src/directory.service.ts';
import { defaultImportLimits, type ImportLimits } from '../../src/imports/import-limits.ts';
import { directoryMigrations } from '../../src/migrations/index.ts';

export const staffActor: Actor = { kind: 'staff', userId: 'staff-user-1' };

/**
 * The directory service on a local broker over a throwaway schema with the real migrations: the
 * actions run exactly as in production, minus the NATS hop.
 */
export interface DirectoryHarness extends ContractCaller {
  scratch: ScratchSchema;
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>;
  count(sql: string, params?: unknown[]): Promise<number>;
  /** Polls an invoice reference import until it is no longer running. */
  invoiceImportFinished(job: { id: string }): Promise<ActionResult<'directory.getInvoiceReferenceImport'>>;
  close(): Promise<void>;
}

export async function openDirectoryHarness(
  options: { importLimits?: Partial<ImportLimits> } = {},
): Promise<DirectoryHarness> {
  const scratch = await openScratchSchema({
    prefix: 'dir_it',
    migrations: [DurableEventsMigration, ...directoryMigrations],
  });
  const broker = new moleculer.ServiceBroker({ nodeID: `dir-it-${scratch.schema}`, logger: false });
  broker.createService(
    directoryService({
      orm: scratch.orm,
      readiness: {},
      importLimits: { ...defaultImportLimits, ...options.importLimits },
    }),
  );
  await broker.start();
  const meta = { actor: staffActor, requestId: 'req-test-1', sourceIp: '203.0.113.7' };
  const harness: DirectoryHarness = {
    scratch,
    ...contractCaller(broker, meta),
    rows: (sql, params = []) => scratch.orm.em.fork().execute(sql, params),
    async invoiceImportFinished(job) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const seen = await harness.call('directory.getInvoiceReferenceImport', { importId: job.id });
        if (seen.status !== 'running') return seen;
        if (Date.now() > deadline) throw new Error(`import ${job.id} still running`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async count(sql, params = []) {
      const [row] = await scratch.orm.em.fork().execute<{ count: string }[]>(sql, params);
      return Number(row?.count ?? 0);
    },
    async close() {
      await broker.stop();
      await scratch.close();
    },
  };
  return harness;
}

/** The outbox rows of one event type, oldest first, as their envelopes. */
export async function outboxEvents(
  harness: DirectoryHarness,
  type: string,
): Promise<{ type: string; actor: unknown; accountId?: string; traceId: string; data: Record<string, unknown> }[]> {
  const rows = await harness.rows<{ envelope: string | object }>(
    'select envelope from outbox where type = ? order by created_at, id',
    [type],
  );
  return rows.map((row) => (typeof row.envelope === 'string' ? JSON.parse(row.envelope) : row.envelope));
}
