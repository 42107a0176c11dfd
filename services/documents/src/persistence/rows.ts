import type { Actor, Document, DocumentOwnerKind, DocumentSharing, DocumentVersion, FileType } from '@portal/contracts';
import { isoOf, isoOrNull, type SqlTimestamp } from '@portal/kit';

/** Rows as `em.execute` returns them, and their published shapes. */

export interface FileTypeRow {
  id: string;
  code: string;
  name: string;
  customer_visible: boolean;
  allowed_content_types: string[];
  max_size_bytes: string | number;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
}

export function toFileType(row: FileTypeRow): FileType {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    customerVisible: row.customer_visible,
    allowedContentTypes: row.allowed_content_types as FileType['allowedContentTypes'],
    maxSizeBytes: Number(row.max_size_bytes),
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
  };
}

export interface VersionRow {
  id: string;
  document_id: string;
  number: number;
  object_key: string;
  size_bytes: string | number;
  sha256: string;
  content_type: string;
  file_name: string;
  scan_state: DocumentVersion['scanState'];
  scan_signature: string | null;
  uploaded_by: Actor;
  uploaded_at: SqlTimestamp;
  request_id: string | null;
}

export function toVersion(row: VersionRow): DocumentVersion {
  return {
    id: row.id,
    documentId: row.document_id,
    number: row.number,
    fileName: row.file_name,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    contentType: row.content_type as DocumentVersion['contentType'],
    scanState: row.scan_state,
    scanSignature: row.scan_signature,
    uploadedBy: row.uploaded_by,
    uploadedAt: isoOf(row.uploaded_at),
  };
}

export interface DocumentRow {
  id: string;
  account_id: string;
  owner_kind: DocumentOwnerKind;
  owner_id: string;
  title: string;
  description: string | null;
  file_type_id: string;
  sharing: DocumentSharing;
  shared_with: string[];
  /** PostgreSQL's own lower(title), the keyset's first key (JavaScript lower-cases some letters differently). */
  sort_key: string;
  current_version: VersionRow | null;
  latest_version: VersionRow | null;
  archived_at: SqlTimestamp | null;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
}

/** Selects a document with its sharing list and both versions as JSON (`to_jsonb` keeps column names). */
export const documentSelect = `
  select d.*, lower(d.title) as sort_key,
    array(select s.contact_id::text from document_share s where s.document_id = d.id order by s.contact_id) as shared_with,
    to_jsonb(cv) as current_version,
    to_jsonb(lv) as latest_version
  from document d
  left join document_version cv on cv.id = d.current_version_id
  left join document_version lv on lv.id = d.latest_version_id`;

export function toDocument(row: DocumentRow): Document {
  return {
    id: row.id,
    accountId: row.account_id,
    owner: { kind: row.owner_kind, id: row.owner_id },
    title: row.title,
    description: row.description,
    fileTypeId: row.file_type_id,
    sharing: row.sharing,
    sharedWithContactIds: row.shared_with,
    currentVersion: row.current_version ? toVersion(row.current_version) : null,
    latestVersion: row.latest_version ? toVersion(row.latest_version) : null,
    archivedAt: isoOrNull(row.archived_at),
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
  };
}
