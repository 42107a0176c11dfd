import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify/sync';
import type { ActionArgs, DownloadLogEntry } from '@portal/contracts';
import {
  escapeCsvCell,
  isoOf,
  keysetAfter,
  pageFromRows,
  SqlConditions,
  type CallerMeta,
  type ServiceOrm,
  type SqlTimestamp,
} from '@portal/kit';

interface DownloadRow {
  id: string;
  document_id: string;
  document_title: string;
  version_id: string;
  version_number: number;
  account_id: string;
  actor_kind: 'staff' | 'contact';
  staff_user_id: string | null;
  contact_id: string | null;
  source_address: string | null;
  downloaded_at: SqlTimestamp;
  /** The sort time as PostgreSQL prints it, microseconds included: the cursor must not round it. */
  time_key: string;
}

function toEntry(row: DownloadRow): DownloadLogEntry {
  return {
    id: row.id,
    documentId: row.document_id,
    documentTitle: row.document_title,
    versionId: row.version_id,
    versionNumber: row.version_number,
    accountId: row.account_id,
    actorKind: row.actor_kind,
    staffUserId: row.staff_user_id,
    contactId: row.contact_id,
    sourceAddress: row.source_address,
    downloadedAt: isoOf(row.downloaded_at),
  };
}

/** Logs one download: who (staff user or contact, from the verified principal), which version, from where. */
export async function logDownload(
  em: EntityManager,
  input: { documentId: string; versionId: string; accountId: string; caller: CallerMeta },
): Promise<void> {
  const { actor, sourceIp } = input.caller;
  if (actor.kind === 'system') throw new Error('a download needs a staff user or a contact');
  await em.execute(
    `insert into download_log (id, document_id, version_id, account_id, actor_kind, staff_user_id, contact_id, source_address)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      randomUUID(),
      input.documentId,
      input.versionId,
      input.accountId,
      actor.kind,
      actor.kind === 'staff' ? actor.userId : null,
      actor.kind === 'contact' ? actor.contactId : null,
      sourceIp,
    ],
  );
}

type DownloadFilter = Pick<ActionArgs<'documents.listDownloads'>, 'documentId' | 'contactId'>;

function conditionsOf(filter: DownloadFilter): SqlConditions {
  return new SqlConditions()
    .when(filter.documentId !== undefined, 'l.document_id = ?', filter.documentId)
    .when(filter.contactId !== undefined, 'l.contact_id = ?', filter.contactId);
}

const downloadSelect = `
  select l.*, l.downloaded_at::text as time_key, d.title as document_title, v.number as version_number
  from download_log l
  join document d on d.id = l.document_id
  join document_version v on v.id = l.version_id`;

export async function listDownloadPage(em: EntityManager, args: ActionArgs<'documents.listDownloads'>) {
  const where = conditionsOf(args);
  if (args.cursor) where.add('(l.downloaded_at, l.id) < (?::timestamptz, ?::uuid)', ...keysetAfter(args.cursor, 2));
  const rows = await em.execute<DownloadRow[]>(
    `${downloadSelect} where ${where.sql} order by l.downloaded_at desc, l.id desc limit ?`,
    [...where.params, args.limit + 1],
  );
  return pageFromRows(rows, args.limit, toEntry, (row) => [row.time_key, row.id]);
}

const csvColumns = [
  'downloaded_at',
  'document_title',
  'version',
  'who',
  'staff_user_id',
  'contact_id',
  'source_address',
  'document_id',
  'account_id',
];
const pageSize = 1000;

/** The download log as CSV, newest first, streamed page by page (cells a spreadsheet would run are escaped). */
export function downloadCsvExport(orm: ServiceOrm, filter: DownloadFilter): Readable {
  return Readable.from(csvChunks(orm, filter), { objectMode: false });
}

async function* csvChunks(orm: ServiceOrm, filter: DownloadFilter): AsyncGenerator<string> {
  yield stringify([csvColumns]);
  let cursor: string | undefined;
  do {
    const page = await listDownloadPage(orm.em.fork(), { ...filter, limit: pageSize, ...(cursor ? { cursor } : {}) });
    yield stringify(
      page.items.map((entry) =>
        [
          entry.downloadedAt,
          entry.documentTitle,
          String(entry.versionNumber),
          entry.actorKind,
          entry.staffUserId ?? '',
          entry.contactId ?? '',
          entry.sourceAddress ?? '',
          entry.documentId,
          entry.accountId,
        ].map(escapeCsvCell),
      ),
    );
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
