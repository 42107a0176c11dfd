import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionArgs, Actor, DocumentRequest } from '@portal/contracts';
import {
  isoOf,
  isoOrNull,
  keysetAfter,
  pageFromRows,
  recordEvent,
  SqlConditions,
  sqlArray,
  type EventOrigin,
  type SqlTimestamp,
} from '@portal/kit';
import { toVersion, type VersionRow } from '../persistence/rows.ts';

export interface RequestRow {
  id: string;
  account_id: string;
  owner_kind: DocumentRequest['owner']['kind'];
  owner_id: string;
  title: string;
  instructions: string | null;
  file_type_id: string;
  due_date: string | null;
  status: DocumentRequest['status'];
  fulfilled_document_id: string | null;
  fulfilled_by_contact_id: string | null;
  fulfilled_at: SqlTimestamp | null;
  requested_from: string[];
  fulfilled_version: VersionRow | null;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
  /** The sort time as PostgreSQL prints it, microseconds included: the cursor must not round it. */
  time_key: string;
}

/** A request with its contacts and the fulfilling version as JSON; `due_date` as text (a calendar date, no zone). */
export const requestSelect = `
  select r.id, r.account_id, r.owner_kind, r.owner_id, r.title, r.instructions, r.file_type_id,
    to_char(r.due_date, 'YYYY-MM-DD') as due_date, r.status, r.fulfilled_document_id, r.fulfilled_by_contact_id,
    r.fulfilled_at, r.created_at, r.updated_at, r.created_at::text as time_key,
    array(select rc.contact_id::text from document_request_contact rc where rc.request_id = r.id order by rc.contact_id) as requested_from,
    to_jsonb(fv) as fulfilled_version
  from document_request r
  left join document_version fv on fv.id = r.fulfilled_version_id`;

export function toRequest(row: RequestRow): DocumentRequest {
  return {
    id: row.id,
    accountId: row.account_id,
    owner: { kind: row.owner_kind, id: row.owner_id },
    title: row.title,
    instructions: row.instructions,
    fileTypeId: row.file_type_id,
    requestedFromContactIds: row.requested_from,
    dueDate: row.due_date,
    status: row.status,
    fulfilledDocumentId: row.fulfilled_document_id,
    fulfilledVersion: row.fulfilled_version ? toVersion(row.fulfilled_version) : null,
    fulfilledByContactId: row.fulfilled_by_contact_id,
    fulfilledAt: isoOrNull(row.fulfilled_at),
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
  };
}

export async function findRequest(
  em: EntityManager,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<DocumentRequest | null> {
  const rows = await em.execute<RequestRow[]>(
    `${requestSelect} where r.id = ?${options.forUpdate ? ' for update of r' : ''}`,
    [id],
  );
  return rows[0] ? toRequest(rows[0]) : null;
}

export async function listRequestPage(em: EntityManager, args: ActionArgs<'documents.listDocumentRequests'>) {
  const where = new SqlConditions()
    .when(args.accountId !== undefined, 'r.account_id = ?', args.accountId)
    .when(args.status !== undefined, 'r.status = ?', args.status);
  if (args.cursor) where.add('(r.created_at, r.id) < (?::timestamptz, ?::uuid)', ...keysetAfter(args.cursor, 2));
  const rows = await em.execute<RequestRow[]>(
    `${requestSelect} where ${where.sql} order by r.created_at desc, r.id desc limit ?`,
    [...where.params, args.limit + 1],
  );
  return pageFromRows(rows, args.limit, toRequest, (row) => [row.time_key, row.id]);
}

export async function insertRequest(
  em: EntityManager,
  input: {
    id: string;
    accountId: string;
    owner: DocumentRequest['owner'];
    title: string;
    instructions: string | null;
    fileTypeId: string;
    dueDate: string | null;
    contactIds: readonly string[];
    createdBy: Actor;
  },
): Promise<void> {
  await em.execute(
    `insert into document_request (id, account_id, owner_kind, owner_id, title, instructions, file_type_id, due_date, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?::date, ?::jsonb)`,
    [
      input.id,
      input.accountId,
      input.owner.kind,
      input.owner.id,
      input.title,
      input.instructions,
      input.fileTypeId,
      input.dueDate,
      JSON.stringify(input.createdBy),
    ],
  );
  await em.execute('insert into document_request_contact (request_id, contact_id) select ?, unnest(?::uuid[])', [
    input.id,
    sqlArray([...new Set(input.contactIds)]),
  ]);
}

export async function cancelRequestRow(em: EntityManager, id: string): Promise<void> {
  await em.execute("update document_request set status = 'cancelled', updated_at = now() where id = ?", [id]);
}

/**
 * A clean version uploaded for a request fulfils it, if it is still open (a request cancelled
 * meanwhile keeps the file as a plain document).
 */
export async function fulfilRequestWith(tx: EntityManager, version: VersionRow, origin: EventOrigin): Promise<void> {
  const uploader = version.uploaded_by;
  const contactId = uploader.kind === 'contact' ? uploader.contactId : null;
  const rows = await tx.execute<
    { id: string; account_id: string; owner_kind: RequestRow['owner_kind']; owner_id: string }[]
  >(
    `update document_request
     set status = 'fulfilled', fulfilled_document_id = ?, fulfilled_version_id = ?, fulfilled_by_contact_id = ?,
       fulfilled_at = now(), updated_at = now()
     where id = ? and status = 'open'
     returning id, account_id, owner_kind, owner_id`,
    [version.document_id, version.id, contactId, version.request_id],
  );
  const request = rows[0];
  if (!request || !contactId) return;
  await recordEvent(
    tx,
    'documents.request.fulfilled',
    {
      requestId: request.id,
      accountId: request.account_id,
      owner: { kind: request.owner_kind, id: request.owner_id },
      documentId: version.document_id,
      versionId: version.id,
      contactId,
    },
    origin,
  );
}
