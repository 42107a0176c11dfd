import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionArgs, Actor, Document, DocumentVersion } from '@portal/contracts';
import { containsPattern, keysetAfter, pageFromRows, SqlConditions, sqlArray } from '@portal/kit';
import { documentSelect, toDocument, toVersion, type DocumentRow, type VersionRow } from '../persistence/rows.ts';

export async function findDocument(
  em: EntityManager,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Document | null> {
  const rows = await em.execute<DocumentRow[]>(
    `${documentSelect} where d.id = ?${options.forUpdate ? ' for update of d' : ''}`,
    [id],
  );
  return rows[0] ? toDocument(rows[0]) : null;
}

export async function listDocumentPage(em: EntityManager, args: ActionArgs<'documents.listDocuments'>) {
  const where = new SqlConditions()
    .when(args.accountId !== undefined, 'd.account_id = ?', args.accountId)
    .when(args.ownerId !== undefined, 'd.owner_id = ?', args.ownerId)
    .when(args.ownerKind !== undefined, 'd.owner_kind = ?', args.ownerKind)
    .when(!args.includeArchived, 'd.archived_at is null')
    .when(args.search !== undefined, 'd.title ilike ?', args.search && containsPattern(args.search));
  if (args.cursor) where.add('(lower(d.title), d.id) > (?, ?::uuid)', ...keysetAfter(args.cursor, 2));
  const rows = await em.execute<DocumentRow[]>(
    `${documentSelect}
     where ${where.sql} order by lower(d.title), d.id limit ?`,
    [...where.params, args.limit + 1],
  );
  return pageFromRows(rows, args.limit, toDocument, (row) => [row.sort_key, row.id]);
}

export async function insertDocument(
  em: EntityManager,
  input: {
    id: string;
    accountId: string;
    owner: Document['owner'];
    title: string;
    description: string | null;
    fileTypeId: string;
    sharing: Document['sharing'];
    createdBy: Actor;
  },
): Promise<void> {
  await em.execute(
    `insert into document (id, account_id, owner_kind, owner_id, title, description, file_type_id, sharing, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)`,
    [
      input.id,
      input.accountId,
      input.owner.kind,
      input.owner.id,
      input.title,
      input.description,
      input.fileTypeId,
      input.sharing,
      JSON.stringify(input.createdBy),
    ],
  );
}

export async function updateDocumentRow(
  em: EntityManager,
  next: Pick<Document, 'id' | 'title' | 'description' | 'fileTypeId' | 'sharing'>,
): Promise<void> {
  await em.execute(
    'update document set title = ?, description = ?, file_type_id = ?, sharing = ?, updated_at = now() where id = ?',
    [next.title, next.description, next.fileTypeId, next.sharing, next.id],
  );
}

/** Replaces the contacts a `contacts` sharing names (emptied for any other sharing). */
export async function replaceShares(
  em: EntityManager,
  documentId: string,
  contactIds: readonly string[],
): Promise<void> {
  await em.execute('delete from document_share where document_id = ?', [documentId]);
  if (contactIds.length === 0) return;
  await em.execute(
    'insert into document_share (document_id, contact_id) select ?, unnest(?::uuid[]) on conflict do nothing',
    [documentId, sqlArray([...new Set(contactIds)])],
  );
}

export async function archiveDocumentRow(em: EntityManager, id: string): Promise<void> {
  await em.execute('update document set archived_at = now(), updated_at = now() where id = ? and archived_at is null', [
    id,
  ]);
}

export async function findVersion(
  em: EntityManager,
  documentId: string,
  versionId: string,
): Promise<VersionRow | null> {
  const rows = await em.execute<VersionRow[]>('select * from document_version where id = ? and document_id = ?', [
    versionId,
    documentId,
  ]);
  return rows[0] ?? null;
}

export async function findVersionById(
  em: EntityManager,
  versionId: string,
  options: { forUpdate?: boolean } = {},
): Promise<VersionRow | null> {
  const rows = await em.execute<VersionRow[]>(
    `select * from document_version where id = ?${options.forUpdate ? ' for update' : ''}`,
    [versionId],
  );
  return rows[0] ?? null;
}

export async function listVersionPage(em: EntityManager, args: ActionArgs<'documents.listDocumentVersions'>) {
  const after = args.cursor ? keysetAfter(args.cursor, 2) : null;
  const rows = await em.execute<VersionRow[]>(
    `select * from document_version where document_id = ? ${after ? 'and (number, id) < (?::int, ?::uuid)' : ''}
     order by number desc, id desc limit ?`,
    after ? [args.documentId, ...after, args.limit + 1] : [args.documentId, args.limit + 1],
  );
  return pageFromRows(rows, args.limit, toVersion, (row) => [String(row.number), row.id]);
}

/** Adds a version (quarantined until scanned) as the document's latest; its number follows the last one. */
export async function insertVersion(
  em: EntityManager,
  input: {
    id: string;
    documentId: string;
    objectKey: string;
    sizeBytes: number;
    sha256: string;
    contentType: string;
    fileName: string;
    uploadedBy: Actor;
    requestId: string | null;
  },
): Promise<DocumentVersion> {
  // The document row is locked by the caller, so numbers cannot collide.
  const rows = await em.execute<VersionRow[]>(
    `insert into document_version
       (id, document_id, number, object_key, size_bytes, sha256, content_type, file_name, uploaded_by, request_id)
     values (?, ?, (select coalesce(max(number), 0) + 1 from document_version where document_id = ?), ?, ?, ?, ?, ?, ?::jsonb, ?)
     returning *`,
    [
      input.id,
      input.documentId,
      input.documentId,
      input.objectKey,
      input.sizeBytes,
      input.sha256,
      input.contentType,
      input.fileName,
      JSON.stringify(input.uploadedBy),
      input.requestId,
    ],
  );
  await em.execute('update document set latest_version_id = ?, updated_at = now() where id = ?', [
    input.id,
    input.documentId,
  ]);
  return toVersion(rows[0] as VersionRow);
}
