import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, ImportJob } from '@portal/contracts';
import { directoryError } from '../errors.ts';
import { isoOf, isoOrNull, type SqlTimestamp } from '../persistence/sql-values.ts';
import type { ImportLimits } from './import-limits.ts';

/** What an import job imports; the job row, its progress and its errors are the same for each. */
export type ImportKind = 'contacts' | 'invoice-references';

/** One item (a CSV line, or a 1-based position in a JSON list) that was not imported, and why. */
export interface RejectedItem {
  line: number;
  messages: string[];
}

interface ImportJobRow {
  id: string;
  status: ImportJob['status'];
  total_rows: number | null;
  processed_rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: RejectedItem[];
  failure: string | null;
  started_at: SqlTimestamp;
  finished_at: SqlTimestamp | null;
}

function toImportJob(row: ImportJobRow): ImportJob {
  return {
    id: row.id,
    status: row.status,
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    errors: row.errors,
    failure: row.failure,
    startedAt: isoOf(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
  };
}

/** A running job without progress for this long lost its process (a restart, a crash): it is failed, not left running. */
export const stalledImportAfterSeconds = 600;

/** Fails running jobs that stopped making progress (all of them, or the one with `id`); they free their slot. */
export async function failStalledImports(em: EntityManager, id?: string): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `update import_job set status = 'failed', finished_at = now(),
       failure = 'The import stopped making progress (the directory service restarted or crashed); import it again: items already imported count as unchanged.'
     where status = 'running' and progressed_at < now() - make_interval(secs => ?)${id ? ' and id = ?' : ''}
     returning id`,
    id ? [stalledImportAfterSeconds, id] : [stalledImportAfterSeconds],
  );
  return rows.length;
}

/**
 * Starts a job if the caps allow: at most `maxRunningPerPrincipal` running imports of this actor
 * and `maxRunning` in total, else 429 IMPORT_LIMIT_REACHED. Starts are serialised by an advisory
 * lock so two requests cannot both take the last slot; dead jobs are failed first, so a crashed
 * import holds its slot only until it counts as stalled.
 */
export async function startImportJob(
  em: EntityManager,
  job: { kind: ImportKind; actor: Actor; limits: ImportLimits },
): Promise<ImportJob> {
  return em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext(current_schema() || '.import_job'))`);
    await failStalledImports(tx);
    const [running] = await tx.execute<{ total: number; mine: number }[]>(
      `select count(*)::int as total, (count(*) filter (where actor = ?::jsonb))::int as mine
       from import_job where status = 'running'`,
      [JSON.stringify(job.actor)],
    );
    const { maxRunning, maxRunningPerPrincipal, retryAfterSeconds } = job.limits;
    if ((running?.mine ?? 0) >= maxRunningPerPrincipal || (running?.total ?? 0) >= maxRunning) {
      const yours = (running?.mine ?? 0) >= maxRunningPerPrincipal;
      throw directoryError('IMPORT_LIMIT_REACHED', {
        message: yours
          ? `You already have ${maxRunningPerPrincipal} import(s) running; try again when one has finished.`
          : `${maxRunning} imports are running; try again when one has finished.`,
        details: {
          retryAfterSeconds,
          limit: yours ? maxRunningPerPrincipal : maxRunning,
          per: yours ? 'user' : 'installation',
        },
      });
    }
    const rows = await tx.execute<ImportJobRow[]>(
      `insert into import_job (id, kind, status, actor) values (?, ?, 'running', ?::jsonb) returning *`,
      [randomUUID(), job.kind, JSON.stringify(job.actor)],
    );
    return toImportJob(rows[0]!);
  });
}

export async function findImportJob(em: EntityManager, id: string, kind: ImportKind): Promise<ImportJob | null> {
  await failStalledImports(em, id);
  const rows = await em.execute<ImportJobRow[]>('select * from import_job where id = ? and kind = ?', [id, kind]);
  return rows[0] ? toImportJob(rows[0]) : null;
}

export interface BatchCounts {
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** Adds a batch's counts and (capped) errors to the job, in the batch's own transaction. */
export async function recordBatchProgress(
  tx: EntityManager,
  id: string,
  counts: BatchCounts,
  errors: readonly RejectedItem[],
): Promise<void> {
  await tx.execute(
    `update import_job set processed_rows = processed_rows + ?, created = created + ?, updated = updated + ?,
       unchanged = unchanged + ?, rejected = rejected + ?, errors = errors || ?::jsonb, progressed_at = now()
     where id = ?`,
    [counts.processed, counts.created, counts.updated, counts.unchanged, counts.rejected, JSON.stringify(errors), id],
  );
}

export async function finishImportJob(
  em: EntityManager,
  id: string,
  outcome: { status: 'completed' } | { status: 'failed'; failure: string; error: RejectedItem },
): Promise<void> {
  const failed = outcome.status === 'failed';
  await em.execute(
    `update import_job set status = ?, failure = ?, errors = errors || ?::jsonb,
       total_rows = case when ? then total_rows else processed_rows end, finished_at = now()
     where id = ? and status = 'running'`,
    [outcome.status, failed ? outcome.failure : null, JSON.stringify(failed ? [outcome.error] : []), failed, id],
  );
}

/**
 * Caps what is stored of the per-item errors so a garbage import cannot blow up the job row; the
 * rejected count stays exact.
 */
export class ImportErrorLog {
  readonly limit: number;
  #stored = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** The entries of this batch that still fit, in line order; call `kept` once they are stored. */
  toStore(rejected: readonly RejectedItem[]): RejectedItem[] {
    const room = Math.max(0, this.limit - this.#stored);
    return [...rejected].sort((a, b) => a.line - b.line).slice(0, room);
  }

  kept(count: number): void {
    this.#stored += count;
  }
}

/** A batch lost a race with a concurrent writer since it looked; it is retried from the start. */
export class ConcurrentImportWrite extends Error {}

/**
 * Runs one batch transaction, retrying it up to three times when it lost a race
 * (`ConcurrentImportWrite`). `work` returns how many error entries it stored.
 */
export async function writeImportBatch(
  em: () => EntityManager,
  errorLog: ImportErrorLog,
  work: (tx: EntityManager) => Promise<number>,
  before?: () => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await before?.();
      const stored = await em().transactional(work);
      errorLog.kept(stored);
      return;
    } catch (error) {
      if (!(error instanceof ConcurrentImportWrite) || attempt >= 3) throw error;
    }
  }
}
