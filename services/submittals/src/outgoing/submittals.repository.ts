import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, Submittal, SubmittalFile, SubmittalResponse, SubmittalStatus } from '@portal/contracts';
import { keysetAfter, pageFromRows, SqlConditions } from '@portal/kit';
import { overdueSql, submittalSelect, toSubmittal, type SubmittalRow } from '../persistence/rows.ts';

export async function findSubmittal(
  em: EntityManager,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Submittal | null> {
  const rows = await em.execute<SubmittalRow[]>(
    `${submittalSelect} where s.id = ?${options.forUpdate ? ' for update of s' : ''}`,
    [id],
  );
  return rows[0] ? toSubmittal(rows[0]) : null;
}

/** A page of submittals, newest first, under the caller's conditions over `s`. */
export async function listSubmittalRows(
  em: EntityManager,
  where: SqlConditions,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: Submittal[]; nextCursor: string | null }> {
  if (page.cursor) where.add('(s.created_at, s.id) < (?::timestamptz, ?::uuid)', ...keysetAfter(page.cursor, 2));
  const rows = await em.execute<SubmittalRow[]>(
    `${submittalSelect} where ${where.sql} order by s.created_at desc, s.id desc limit ?`,
    [...where.params, page.limit + 1],
  );
  return pageFromRows(rows, page.limit, toSubmittal, (row) => [row.time_key, row.id]);
}

export function staffListConditions(filter: {
  projectId?: string | undefined;
  accountId?: string | undefined;
  status?: SubmittalStatus | undefined;
  overdue?: boolean | undefined;
}): SqlConditions {
  return new SqlConditions()
    .when(filter.projectId !== undefined, 's.project_id = ?', filter.projectId)
    .when(filter.accountId !== undefined, 's.account_id = ?', filter.accountId)
    .when(filter.status !== undefined, 's.status = ?', filter.status)
    .when(filter.overdue !== undefined, filter.overdue ? overdueSql : `not ${overdueSql}`);
}

/** The next transmittal sequence of a project; the counter row serialises concurrent creations. */
export async function nextSequence(em: EntityManager, projectId: string): Promise<number> {
  const rows = await em.execute<{ last_sequence: number }[]>(
    `insert into project_counter (project_id, last_sequence) values (?, 1)
     on conflict (project_id) do update set last_sequence = project_counter.last_sequence + 1
     returning last_sequence`,
    [projectId],
  );
  return (rows[0] as { last_sequence: number }).last_sequence;
}

export interface NewSubmittal {
  id: string;
  accountId: string;
  projectId: string;
  sequence: number;
  number: string;
  revision: number;
  previousRevisionId: string | null;
  purpose: Submittal['purpose'];
  title: string;
  message: string | null;
  dueDate: string | null;
  expectedReturnDate: string | null;
  notifyByEmail: boolean;
  createdBy: Actor;
}

export async function insertSubmittal(em: EntityManager, input: NewSubmittal): Promise<void> {
  await em.execute(
    `insert into submittal (id, account_id, project_id, sequence, number, revision, previous_revision_id, purpose, title,
       message, due_date, expected_return_date, notify_by_email, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::date, ?::date, ?, ?::jsonb)`,
    [
      input.id,
      input.accountId,
      input.projectId,
      input.sequence,
      input.number,
      input.revision,
      input.previousRevisionId,
      input.purpose,
      input.title,
      input.message,
      input.dueDate,
      input.expectedReturnDate,
      input.notifyByEmail,
      JSON.stringify(input.createdBy),
    ],
  );
}

export async function updateDraft(
  em: EntityManager,
  next: Pick<Submittal, 'id' | 'purpose' | 'title' | 'message' | 'dueDate' | 'expectedReturnDate' | 'notifyByEmail'>,
): Promise<void> {
  await em.execute(
    `update submittal set purpose = ?, title = ?, message = ?, due_date = ?::date, expected_return_date = ?::date,
       notify_by_email = ?, updated_at = now() where id = ?`,
    [next.purpose, next.title, next.message, next.dueDate, next.expectedReturnDate, next.notifyByEmail, next.id],
  );
}

/** Replaces a submittal's files, in the given order. */
export async function replaceFiles(em: EntityManager, submittalId: string, files: readonly SubmittalFile[]) {
  await em.execute('delete from submittal_file where submittal_id = ?', [submittalId]);
  for (const [position, file] of files.entries()) {
    await em.execute(
      `insert into submittal_file (submittal_id, position, version_id, document_id, file_name, size_bytes, content_type)
       values (?, ?, ?, ?, ?, ?, ?)`,
      [submittalId, position, file.versionId, file.documentId, file.fileName, file.sizeBytes, file.contentType],
    );
  }
}

/** Moves a submittal to a status, stamping the matching time. */
export async function setStatus(
  em: EntityManager,
  id: string,
  status: Exclude<SubmittalStatus, 'draft' | 'returned'>,
): Promise<void> {
  const stamp = { sent: 'sent_at', closed: 'closed_at', void: 'voided_at' }[status];
  await em.execute(`update submittal set status = ?, ${stamp} = now(), updated_at = now() where id = ?`, [status, id]);
}

export async function recordResponse(em: EntityManager, id: string, response: SubmittalResponse): Promise<void> {
  await em.execute(
    `update submittal set status = 'returned', response = ?::jsonb, returned_at = ?::timestamptz, updated_at = now()
     where id = ?`,
    [JSON.stringify(response), response.respondedAt, id],
  );
}

/**
 * Marks sent submittals past their expected-return date as reported and answers them; the caller
 * records one `overdue` event each in the same transaction, so each is reported exactly once.
 */
export async function claimOverdue(em: EntityManager, limit: number): Promise<Submittal[]> {
  const rows = await em.execute<{ id: string }[]>(
    `update submittal s set overdue_notified_at = now()
     where s.id in (
       select s.id from submittal s
       where s.status = 'sent' and s.expected_return_date is not null and s.overdue_notified_at is null and ${overdueSql}
       order by s.expected_return_date limit ? for update skip locked
     )
     returning s.id`,
    [limit],
  );
  const claimed: Submittal[] = [];
  for (const { id } of rows) {
    const submittal = await findSubmittal(em, id);
    if (submittal) claimed.push(submittal);
  }
  return claimed;
}
