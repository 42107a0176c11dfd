import type {
  IncomingSubmittal,
  Submittal,
  SubmittalFile,
  SubmittalPurpose,
  SubmittalResponse,
  SubmittalStatus,
} from '@portal/contracts';
import { isoOf, isoOrNull, type SqlTimestamp } from '@portal/kit';

/** Rows as `em.execute` returns them, and their published shapes. */

interface FileRow {
  version_id: string;
  document_id: string;
  file_name: string;
  size_bytes: string | number;
  content_type: string;
  is_letter?: boolean;
}

function toFile(row: FileRow): SubmittalFile {
  return {
    versionId: row.version_id,
    documentId: row.document_id,
    fileName: row.file_name,
    sizeBytes: Number(row.size_bytes),
    contentType: row.content_type as SubmittalFile['contentType'],
  };
}

/** Dates as PostgreSQL prints them (`date::text`), so no time zone shifts a day. */
export interface SubmittalRow {
  id: string;
  account_id: string;
  project_id: string;
  sequence: number;
  number: string;
  revision: number;
  previous_revision_id: string | null;
  next_revision_id: string | null;
  purpose: SubmittalPurpose;
  title: string;
  message: string | null;
  files: FileRow[];
  due_date: string | null;
  expected_return_date: string | null;
  notify_by_email: boolean;
  status: SubmittalStatus;
  overdue: boolean;
  response: SubmittalResponse | null;
  sent_at: SqlTimestamp | null;
  returned_at: SqlTimestamp | null;
  closed_at: SqlTimestamp | null;
  voided_at: SqlTimestamp | null;
  created_at: SqlTimestamp;
  updated_at: SqlTimestamp;
  /** The sort time as PostgreSQL prints it, microseconds included: the cursor must not round it. */
  time_key: string;
}

/** "Today" is the UTC date: an expected-return date passes at midnight UTC. */
export const overdueSql = `(s.status = 'sent' and s.expected_return_date is not null
  and s.expected_return_date < (now() at time zone 'utc')::date)`;

export const submittalSelect = `
  select s.id, s.account_id, s.project_id, s.sequence, s.number, s.revision, s.previous_revision_id,
    (select n.id from submittal n where n.previous_revision_id = s.id) as next_revision_id,
    s.purpose, s.title, s.message, s.due_date::text as due_date, s.expected_return_date::text as expected_return_date,
    s.notify_by_email, s.status, ${overdueSql} as overdue, s.response,
    s.sent_at, s.returned_at, s.closed_at, s.voided_at, s.created_at, s.updated_at, s.created_at::text as time_key,
    coalesce((select jsonb_agg(to_jsonb(f) order by f.position) from submittal_file f where f.submittal_id = s.id), '[]') as files
  from submittal s`;

export function toSubmittal(row: SubmittalRow): Submittal {
  return {
    id: row.id,
    accountId: row.account_id,
    projectId: row.project_id,
    number: row.number,
    revision: row.revision,
    previousRevisionId: row.previous_revision_id,
    nextRevisionId: row.next_revision_id,
    purpose: row.purpose,
    title: row.title,
    message: row.message,
    files: row.files.map(toFile),
    dueDate: row.due_date,
    expectedReturnDate: row.expected_return_date,
    notifyByEmail: row.notify_by_email,
    status: row.status,
    overdue: row.overdue,
    response: row.response,
    sentAt: isoOrNull(row.sent_at),
    returnedAt: isoOrNull(row.returned_at),
    closedAt: isoOrNull(row.closed_at),
    voidedAt: isoOrNull(row.voided_at),
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
  };
}

export interface IncomingRow {
  id: string;
  account_id: string;
  project_id: string;
  contact_id: string;
  transmittal_number: string;
  note: string | null;
  files: FileRow[];
  status: IncomingSubmittal['status'];
  received_at: SqlTimestamp;
  processed_at: SqlTimestamp | null;
  processed_by: string | null;
  time_key: string;
}

export const incomingSelect = `
  select i.*, i.received_at::text as time_key,
    coalesce((select jsonb_agg(to_jsonb(f) order by f.position) from incoming_file f where f.incoming_submittal_id = i.id), '[]') as files
  from incoming_submittal i`;

export function toIncoming(row: IncomingRow): IncomingSubmittal {
  return {
    id: row.id,
    accountId: row.account_id,
    projectId: row.project_id,
    contactId: row.contact_id,
    transmittalNumber: row.transmittal_number,
    note: row.note,
    files: row.files.map((file) => ({ ...toFile(file), isLetter: file.is_letter === true })),
    status: row.status,
    receivedAt: isoOf(row.received_at),
    processedAt: isoOrNull(row.processed_at),
    processedBy: row.processed_by,
  };
}
