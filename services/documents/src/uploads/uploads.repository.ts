import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, DocumentContentType } from '@portal/contracts';
import type { SqlTimestamp } from '@portal/kit';

export interface UploadRow {
  id: string;
  object_key: string;
  document_id: string | null;
  request_id: string | null;
  project_id: string | null;
  file_name: string;
  content_type: DocumentContentType;
  size_bytes: string | number;
  state: 'pending' | 'finalized' | 'refused' | 'expired';
  created_by: Actor;
  expires_at: SqlTimestamp;
}

/** What an upload is for: a new version of a document, the answer to a request, or a contact's file for a project. */
export type UploadTarget = { documentId: string } | { requestId: string } | { projectId: string };

function targetColumn(target: UploadTarget): ['document_id' | 'request_id' | 'project_id', string] {
  if ('documentId' in target) return ['document_id', target.documentId];
  if ('requestId' in target) return ['request_id', target.requestId];
  return ['project_id', target.projectId];
}

export async function insertUpload(
  em: EntityManager,
  upload: {
    id: string;
    objectKey: string;
    target: UploadTarget;
    fileName: string;
    contentType: DocumentContentType;
    sizeBytes: number;
    createdBy: Actor;
    ttlSeconds: number;
  },
): Promise<Date> {
  const rows = await em.execute<{ expires_at: Date }[]>(
    `insert into upload (id, object_key, document_id, request_id, project_id, file_name, content_type, size_bytes, created_by, expires_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, now() + make_interval(secs => ?)) returning expires_at`,
    [
      upload.id,
      upload.objectKey,
      'documentId' in upload.target ? upload.target.documentId : null,
      'requestId' in upload.target ? upload.target.requestId : null,
      'projectId' in upload.target ? upload.target.projectId : null,
      upload.fileName,
      upload.contentType,
      upload.sizeBytes,
      JSON.stringify(upload.createdBy),
      upload.ttlSeconds,
    ],
  );
  return new Date((rows[0] as { expires_at: Date }).expires_at);
}

/** The upload of this target, with whether it has expired by the database's clock. */
export async function findUpload(
  em: EntityManager,
  uploadId: string,
  target: UploadTarget,
  options: { forUpdate?: boolean } = {},
): Promise<(UploadRow & { expired: boolean }) | null> {
  const [column, id] = targetColumn(target);
  const rows = await em.execute<(UploadRow & { expired: boolean })[]>(
    `select *, expires_at < now() as expired from upload where id = ? and ${column} = ?${options.forUpdate ? ' for update' : ''}`,
    [uploadId, id],
  );
  return rows[0] ?? null;
}

export async function setUploadState(em: EntityManager, uploadId: string, state: UploadRow['state']): Promise<void> {
  await em.execute('update upload set state = ? where id = ?', [state, uploadId]);
}

/** Pending uploads whose presigned PUT can no longer arrive (expired a minute ago or more). */
export async function claimAbandonedUploads(
  em: EntityManager,
  limit: number,
): Promise<{ id: string; object_key: string }[]> {
  return em.execute(
    `update upload set state = 'expired'
     where id in (
       select id from upload where state = 'pending' and expires_at < now() - interval '1 minute'
       order by expires_at limit ? for update skip locked
     )
     returning id, object_key`,
    [limit],
  );
}
