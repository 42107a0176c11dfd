import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionArgs, PortalDocument, PortalDocumentRequest } from '@portal/contracts';
import { containsPattern, isoOf, isoOrNull, keysetAfter, pageFromRows, type SqlTimestamp } from '@portal/kit';
import type { VersionRow } from '../persistence/rows.ts';
import type { Unnamed } from './owner-names.ts';
import { type PortalViewer, visibleDocumentConditions, visibleRequestConditions } from './document-visibility.ts';

type PortalVersionRow = Pick<VersionRow, 'id' | 'number' | 'file_name' | 'size_bytes' | 'content_type' | 'uploaded_at'>;

function toPortalVersion(row: PortalVersionRow): PortalDocument['currentVersion'] {
  return {
    id: row.id,
    number: row.number,
    fileName: row.file_name,
    sizeBytes: Number(row.size_bytes),
    contentType: row.content_type as PortalDocument['currentVersion']['contentType'],
    uploadedAt: isoOf(row.uploaded_at),
  };
}

interface PortalDocumentRow {
  id: string;
  account_id: string;
  owner_kind: PortalDocument['owner']['kind'];
  owner_id: string;
  title: string;
  description: string | null;
  file_type_code: string;
  file_type_name: string;
  current_version: PortalVersionRow;
  updated_at: SqlTimestamp;
  sort_key: string;
}

const portalDocumentSelect = `
  select d.id, d.account_id, d.owner_kind, d.owner_id, d.title, d.description, d.updated_at,
    lower(d.title) as sort_key, ft.code as file_type_code, ft.name as file_type_name, to_jsonb(cv) as current_version
  from document d
  join file_type ft on ft.id = d.file_type_id
  join document_version cv on cv.id = d.current_version_id`;

function toPortalDocument(row: PortalDocumentRow): Unnamed<PortalDocument> {
  return {
    id: row.id,
    accountId: row.account_id,
    owner: { kind: row.owner_kind, id: row.owner_id },
    title: row.title,
    description: row.description,
    fileType: { code: row.file_type_code, name: row.file_type_name },
    currentVersion: toPortalVersion(row.current_version),
    updatedAt: isoOf(row.updated_at),
  };
}

/** "Documents visible to me", by title, keyset-paged on (lower(title), id). */
export async function listPortalDocumentPage(
  em: EntityManager,
  viewer: PortalViewer,
  args: ActionArgs<'documents.listPortalDocuments'>,
) {
  const where = visibleDocumentConditions(viewer)
    .when(args.accountId !== undefined, 'd.account_id = ?', args.accountId)
    .when(args.search !== undefined, 'd.title ilike ?', args.search && containsPattern(args.search))
    .when(args.ownerId !== undefined, 'd.owner_id = ?', args.ownerId)
    .when(args.ownerKind !== undefined, 'd.owner_kind = ?', args.ownerKind);
  if (args.cursor) where.add('(lower(d.title), d.id) > (?, ?::uuid)', ...keysetAfter(args.cursor, 2));
  const rows = await em.execute<PortalDocumentRow[]>(
    `${portalDocumentSelect} where ${where.sql} order by lower(d.title), d.id limit ?`,
    [...where.params, args.limit + 1],
  );
  return pageFromRows(rows, args.limit, toPortalDocument, (row) => [row.sort_key, row.id]);
}

/** One visible document, or null: invisible and missing look the same. */
export async function findPortalDocument(
  em: EntityManager,
  viewer: PortalViewer,
  documentId: string,
): Promise<Unnamed<PortalDocument> | null> {
  const where = visibleDocumentConditions(viewer).add('d.id = ?', documentId);
  const rows = await em.execute<PortalDocumentRow[]>(`${portalDocumentSelect} where ${where.sql}`, where.params);
  return rows[0] ? toPortalDocument(rows[0]) : null;
}

/** The clean versions of a document (the caller has checked it is visible), newest first. */
export async function listCleanVersions(
  em: EntityManager,
  documentId: string,
): Promise<PortalDocument['currentVersion'][]> {
  const rows = await em.execute<PortalVersionRow[]>(
    "select * from document_version where document_id = ? and scan_state = 'clean' order by number desc",
    [documentId],
  );
  return rows.map(toPortalVersion);
}

interface PortalRequestRow {
  id: string;
  account_id: string;
  owner_kind: PortalDocumentRequest['owner']['kind'];
  owner_id: string;
  title: string;
  instructions: string | null;
  file_type_name: string;
  allowed_content_types: string[];
  max_size_bytes: string | number;
  due_date: string | null;
  status: PortalDocumentRequest['status'];
  fulfilled_at: SqlTimestamp | null;
  fulfilled_document_id: string | null;
  fulfilled_version: PortalVersionRow | null;
  created_at: SqlTimestamp;
  /** The sort time as PostgreSQL prints it, microseconds included: the cursor must not round it. */
  time_key: string;
}

const portalRequestSelect = `
  select r.id, r.account_id, r.owner_kind, r.owner_id, r.title, r.instructions,
    ft.name as file_type_name, ft.allowed_content_types, ft.max_size_bytes,
    to_char(r.due_date, 'YYYY-MM-DD') as due_date, r.status, r.fulfilled_at, r.fulfilled_document_id,
    to_jsonb(fv) as fulfilled_version, r.created_at, r.created_at::text as time_key
  from document_request r
  join file_type ft on ft.id = r.file_type_id
  left join document_version fv on fv.id = r.fulfilled_version_id`;

function toPortalRequest(row: PortalRequestRow): Unnamed<PortalDocumentRequest> {
  return {
    id: row.id,
    accountId: row.account_id,
    owner: { kind: row.owner_kind, id: row.owner_id },
    title: row.title,
    instructions: row.instructions,
    fileType: {
      name: row.file_type_name,
      allowedContentTypes: row.allowed_content_types as PortalDocumentRequest['fileType']['allowedContentTypes'],
      maxSizeBytes: Number(row.max_size_bytes),
    },
    dueDate: row.due_date,
    status: row.status,
    fulfilledAt: isoOrNull(row.fulfilled_at),
    fulfilledDocumentId: row.fulfilled_document_id,
    fulfilledVersion: row.fulfilled_version ? toPortalVersion(row.fulfilled_version) : null,
    createdAt: isoOf(row.created_at),
  };
}

export async function listPortalRequestPage(
  em: EntityManager,
  viewer: PortalViewer,
  args: ActionArgs<'documents.listPortalDocumentRequests'>,
) {
  const where = visibleRequestConditions(viewer)
    .add('r.status = ?', args.status)
    .when(args.accountId !== undefined, 'r.account_id = ?', args.accountId);
  if (args.cursor) where.add('(r.created_at, r.id) < (?::timestamptz, ?::uuid)', ...keysetAfter(args.cursor, 2));
  const rows = await em.execute<PortalRequestRow[]>(
    `${portalRequestSelect} where ${where.sql} order by r.created_at desc, r.id desc limit ?`,
    [...where.params, args.limit + 1],
  );
  return pageFromRows(rows, args.limit, toPortalRequest, (row) => [row.time_key, row.id]);
}

export async function findPortalRequest(
  em: EntityManager,
  viewer: PortalViewer,
  requestId: string,
): Promise<Unnamed<PortalDocumentRequest> | null> {
  const where = visibleRequestConditions(viewer).add('r.id = ?', requestId);
  const rows = await em.execute<PortalRequestRow[]>(`${portalRequestSelect} where ${where.sql}`, where.params);
  return rows[0] ? toPortalRequest(rows[0]) : null;
}
