import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, IncomingQueueEntry, IncomingSubmittal, SubmittalFile } from '@portal/contracts';
import { isoOf, keysetAfter, pageFromRows, SqlConditions, type SqlTimestamp } from '@portal/kit';
import { incomingSelect, toIncoming, type IncomingRow } from '../persistence/rows.ts';

export async function findIncoming(
  em: EntityManager,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<IncomingSubmittal | null> {
  const rows = await em.execute<IncomingRow[]>(
    `${incomingSelect} where i.id = ?${options.forUpdate ? ' for update of i' : ''}`,
    [id],
  );
  return rows[0] ? toIncoming(rows[0]) : null;
}

/** A page of incoming submittals, newest first, under the caller's conditions over `i`. */
export async function listIncomingRows(
  em: EntityManager,
  where: SqlConditions,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: IncomingSubmittal[]; nextCursor: string | null }> {
  if (page.cursor) where.add('(i.received_at, i.id) < (?::timestamptz, ?::uuid)', ...keysetAfter(page.cursor, 2));
  const rows = await em.execute<IncomingRow[]>(
    `${incomingSelect} where ${where.sql} order by i.received_at desc, i.id desc limit ?`,
    [...where.params, page.limit + 1],
  );
  return pageFromRows(rows, page.limit, toIncoming, (row) => [row.time_key, row.id]);
}

export async function insertIncoming(
  em: EntityManager,
  input: {
    id: string;
    accountId: string;
    projectId: string;
    contactId: string;
    transmittalNumber: string;
    note: string | null;
    files: readonly SubmittalFile[];
    letterVersionId: string | null;
    createdBy: Actor;
  },
): Promise<void> {
  await em.execute(
    `insert into incoming_submittal (id, account_id, project_id, contact_id, transmittal_number, note, created_by)
     values (?, ?, ?, ?, ?, ?, ?::jsonb)`,
    [
      input.id,
      input.accountId,
      input.projectId,
      input.contactId,
      input.transmittalNumber,
      input.note,
      JSON.stringify(input.createdBy),
    ],
  );
  for (const [position, file] of input.files.entries()) {
    await em.execute(
      `insert into incoming_file (incoming_submittal_id, position, version_id, document_id, file_name, size_bytes,
         content_type, is_letter)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        input.id,
        position,
        file.versionId,
        file.documentId,
        file.fileName,
        file.sizeBytes,
        file.contentType,
        file.versionId === input.letterVersionId,
      ],
    );
  }
}

export async function markProcessed(em: EntityManager, id: string, staffUserId: string): Promise<void> {
  await em.execute(
    `update incoming_submittal set status = 'processed', processed_at = now(), processed_by = ?
     where id = ? and status = 'unprocessed'`,
    [staffUserId, id],
  );
}

interface QueueRow {
  project_id: string;
  account_id: string;
  unprocessed: string | number;
  oldest: SqlTimestamp;
  latest: SqlTimestamp;
  oldest_key: string;
}

/** Projects with unprocessed incoming submittals, the longest-waiting first. */
export async function listQueuePage(
  em: EntityManager,
  args: { limit: number; cursor?: string | undefined; accountId?: string | undefined },
): Promise<{ items: IncomingQueueEntry[]; nextCursor: string | null }> {
  const inner = new SqlConditions()
    .add("status = 'unprocessed'")
    .when(args.accountId !== undefined, 'account_id = ?', args.accountId);
  const outer = new SqlConditions();
  if (args.cursor) outer.add('(q.oldest, q.project_id) > (?::timestamptz, ?::uuid)', ...keysetAfter(args.cursor, 2));
  const rows = await em.execute<QueueRow[]>(
    `select q.*, q.oldest::text as oldest_key from (
       select project_id, account_id, count(*) as unprocessed, min(received_at) as oldest, max(received_at) as latest
       from incoming_submittal where ${inner.sql} group by project_id, account_id
     ) q
     where ${outer.sql} order by q.oldest, q.project_id limit ?`,
    [...inner.params, ...outer.params, args.limit + 1],
  );
  return pageFromRows(
    rows,
    args.limit,
    (row) => ({
      projectId: row.project_id,
      accountId: row.account_id,
      unprocessedCount: Number(row.unprocessed),
      oldestReceivedAt: isoOf(row.oldest),
      latestReceivedAt: isoOf(row.latest),
    }),
    (row) => [row.oldest_key, row.project_id],
  );
}
