import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, DocumentContentType, FileType, UploadTicket } from '@portal/contracts';
import type { ObjectStorage } from '../adapters/object-storage.adapter.ts';
import { contentTypeOf, matchesDeclared } from '../domain/content-type.rules.ts';
import { sanitizeFileName } from '../domain/file-name.rules.ts';
import { documentsError } from '../errors.ts';
import { findVersionById, insertVersion } from '../documents/documents.repository.ts';
import type { DocumentsStore } from '../persistence/documents-store.ts';
import type { VersionRow } from '../persistence/rows.ts';
import { inspectObject, type ObjectFacts } from './object-inspection.ts';
import { findUpload, insertUpload, setUploadState, type UploadRow, type UploadTarget } from './uploads.repository.ts';

export interface TransferSettings {
  /** How long a presigned PUT (and its upload) stays valid. */
  uploadTtlSeconds: number;
  /** How long a presigned GET stays valid: long enough to start the download, no more. */
  downloadTtlSeconds: number;
}

export interface UploadFlowDeps {
  store: DocumentsStore;
  storage: ObjectStorage;
  settings: TransferSettings;
}

/**
 * Issues a presigned PUT for one file, after the file type's rules: the declared content type must
 * be one it accepts and the declared size within its limit. The store enforces the rest, because
 * the signature covers `content-type` and `content-length`.
 */
export async function issueUploadTicket(
  deps: UploadFlowDeps,
  tx: EntityManager,
  input: {
    target: UploadTarget;
    fileType: FileType;
    fileName: string;
    contentType: DocumentContentType;
    sizeBytes: number;
    actor: Actor;
  },
): Promise<UploadTicket> {
  const fileName = sanitizeFileName(input.fileName);
  if (!fileName) throw documentsError('FILE_NAME_INVALID');
  if (!input.fileType.allowedContentTypes.includes(input.contentType)) {
    throw documentsError('CONTENT_TYPE_NOT_ALLOWED', {
      details: { contentType: input.contentType, allowed: input.fileType.allowedContentTypes },
    });
  }
  if (input.sizeBytes > input.fileType.maxSizeBytes) {
    throw documentsError('FILE_TOO_LARGE', {
      details: { sizeBytes: input.sizeBytes, maxSizeBytes: input.fileType.maxSizeBytes },
    });
  }
  const uploadId = randomUUID();
  const objectKey = `versions/${uploadId}`;
  const expiresAt = await insertUpload(tx, {
    id: uploadId,
    objectKey,
    target: input.target,
    fileName,
    contentType: input.contentType,
    sizeBytes: input.sizeBytes,
    createdBy: input.actor,
    ttlSeconds: deps.settings.uploadTtlSeconds,
  });
  const headers = { 'content-type': input.contentType, 'content-length': String(input.sizeBytes) };
  return {
    uploadId,
    method: 'PUT',
    url: deps.storage.presignPut(objectKey, input.contentType, input.sizeBytes, deps.settings.uploadTtlSeconds),
    headers,
    expiresAt: expiresAt.toISOString(),
  };
}

/** Where an accepted upload goes: the document it becomes a version of, locked and checked in the transaction. */
export type FileVersion = (
  tx: EntityManager,
  upload: UploadRow,
) => Promise<{ documentId: string; requestId: string | null }>;

/**
 * Finalize: reads the stored object once (size, SHA-256, what its bytes are) and, when everything
 * matches, files it as a version (quarantined until scanned, which the caller starts). A mismatch
 * deletes the object and refuses the upload for good. Finalizing twice answers the same version.
 */
export async function acceptUpload(
  deps: UploadFlowDeps,
  input: { uploadId: string; target: UploadTarget; sha256?: string | undefined; fileVersion: FileVersion },
): Promise<VersionRow> {
  const upload = await findUpload(deps.store.read(), input.uploadId, input.target);
  if (!upload || upload.state === 'refused') throw documentsError('UPLOAD_NOT_FOUND');
  if (upload.state === 'finalized') return existingVersion(deps, upload.id);
  if (upload.state === 'expired' || upload.expired) {
    await discard(deps, upload, 'expired');
    throw documentsError('UPLOAD_EXPIRED');
  }

  const storedSize = await deps.storage.sizeOf(upload.object_key);
  if (storedSize === null) throw documentsError('UPLOAD_MISSING');
  const declaredSize = Number(upload.size_bytes);
  if (storedSize !== declaredSize) {
    await discard(deps, upload, 'refused');
    throw documentsError('UPLOAD_SIZE_MISMATCH', { details: { declared: declaredSize, stored: storedSize } });
  }
  const facts = await inspectObject(await deps.storage.read(upload.object_key));
  await refuseMismatch(deps, upload, facts, input.sha256);

  return deps.store.change(async (tx) => {
    const locked = await findUpload(tx, upload.id, input.target, { forUpdate: true });
    if (locked?.state === 'finalized') return existingVersion(deps, upload.id, tx);
    if (locked?.state !== 'pending') throw documentsError('UPLOAD_NOT_FOUND');
    const { documentId, requestId } = await input.fileVersion(tx, upload);
    await insertVersion(tx, {
      // The version takes the upload's id, so a repeated finalize finds it.
      id: upload.id,
      documentId,
      objectKey: upload.object_key,
      sizeBytes: facts.sizeBytes,
      sha256: facts.sha256,
      contentType: upload.content_type,
      fileName: upload.file_name,
      uploadedBy: upload.created_by,
      requestId,
    });
    await setUploadState(tx, upload.id, 'finalized');
    return (await findVersionById(tx, upload.id)) as VersionRow;
  });
}

async function refuseMismatch(
  deps: UploadFlowDeps,
  upload: UploadRow,
  facts: ObjectFacts,
  clientSha256: string | undefined,
): Promise<void> {
  if (clientSha256 !== undefined && clientSha256 !== facts.sha256) {
    await discard(deps, upload, 'refused');
    throw documentsError('UPLOAD_CHECKSUM_MISMATCH');
  }
  const detected = contentTypeOf(facts.detectedMime, facts.isText);
  if (!matchesDeclared(upload.content_type, detected)) {
    await discard(deps, upload, 'refused');
    throw documentsError('CONTENT_MISMATCH', {
      details: {
        declared: upload.content_type,
        detected: detected === 'text' ? 'text' : (facts.detectedMime ?? 'unknown'),
      },
    });
  }
}

async function discard(deps: UploadFlowDeps, upload: UploadRow, state: 'refused' | 'expired'): Promise<void> {
  await deps.storage.remove(upload.object_key);
  await setUploadState(deps.store.read(), upload.id, state);
}

async function existingVersion(deps: UploadFlowDeps, versionId: string, em = deps.store.read()): Promise<VersionRow> {
  const version = await findVersionById(em, versionId);
  if (!version) throw documentsError('UPLOAD_NOT_FOUND');
  return version;
}
