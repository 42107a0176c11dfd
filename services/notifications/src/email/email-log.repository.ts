import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EmailLogEntry, EmailStatus, NotificationRecipient } from '@portal/contracts';
import { decodeCursor, pageFromRows } from '@portal/kit';

export interface EmailRecord {
  eventId: string;
  template: string;
  /** The preference type it falls under; null for e-mails no preference governs (the rejection). */
  eventType: string | null;
  recipient: NotificationRecipient | null;
  address: string;
  subject: string;
  status: EmailStatus;
  messageId?: string | null;
  error?: string | null;
}

/** The status of this event's e-mail of this template to this address, or null when there is none yet. */
export async function emailStatusOf(
  em: EntityManager,
  eventId: string,
  template: string,
  address: string,
): Promise<EmailStatus | null> {
  const rows = await em.execute<{ status: EmailStatus }[]>(
    'select status from email_log where event_id = ? and template = ? and recipient = ?',
    [eventId, template, address],
  );
  return rows[0]?.status ?? null;
}

/**
 * Writes (or moves on) the one row of an event, template and address: the unique key keeps an
 * event from mailing anyone twice. Answers the row's id.
 */
export async function recordEmail(em: EntityManager, entry: EmailRecord): Promise<string> {
  const rows = await em.execute<{ id: string }[]>(
    `insert into email_log
       (id, event_id, template, event_type, recipient_kind, recipient_id, recipient, subject, status, message_id, error, sent_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, case when ? = 'sent' then now() end)
     on conflict (event_id, template, recipient) do update set
       status = excluded.status, subject = excluded.subject, message_id = excluded.message_id,
       error = excluded.error, sent_at = excluded.sent_at
     returning id`,
    [
      randomUUID(),
      entry.eventId,
      entry.template,
      entry.eventType,
      entry.recipient?.kind ?? null,
      entry.recipient?.id ?? null,
      entry.address,
      entry.subject,
      entry.status,
      entry.messageId ?? null,
      entry.error ?? null,
      entry.status,
    ],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('email_log upsert returned no row');
  return id;
}

/** Whether this event's e-mail of this template was already sent (and its consumer's apply committed). */
export async function wasMailed(em: EntityManager, eventId: string, template: string, address: string) {
  return (await emailStatusOf(em, eventId, template, address)) === 'sent';
}

interface EmailLogRow {
  id: string;
  event_id: string;
  template: string;
  event_type: string | null;
  recipient_kind: 'staff' | 'contact' | null;
  recipient_id: string | null;
  recipient: string;
  subject: string;
  status: EmailStatus;
  error: string | null;
  message_id: string | null;
  created_at: Date;
  sent_at: Date | null;
}

const entryOf = (row: EmailLogRow): EmailLogEntry => ({
  id: row.id,
  eventId: row.event_id,
  template: row.template,
  eventType: row.event_type,
  recipientKind: row.recipient_kind,
  recipientId: row.recipient_id,
  recipient: row.recipient,
  subject: row.subject,
  status: row.status,
  error: row.error,
  messageId: row.message_id,
  createdAt: new Date(row.created_at).toISOString(),
  sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
});

/** The log newest first (keyset on created_at, id), optionally one status or one address. */
export async function listEmailLogPage(
  em: EntityManager,
  filter: {
    limit: number;
    cursor?: string | undefined;
    status?: EmailStatus | undefined;
    recipient?: string | undefined;
  },
): Promise<{ items: EmailLogEntry[]; nextCursor: string | null }> {
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.status) {
    where.push('status = ?');
    values.push(filter.status);
  }
  if (filter.recipient) {
    where.push('recipient = ?');
    values.push(filter.recipient);
  }
  if (filter.cursor) {
    const [createdAt, id] = decodeCursor(filter.cursor, 2);
    where.push('(created_at, id) < (?::timestamptz, ?::uuid)');
    values.push(createdAt, id);
  }
  const rows = await em.execute<EmailLogRow[]>(
    `select * from email_log ${where.length ? `where ${where.join(' and ')}` : ''}
     order by created_at desc, id desc limit ?`,
    [...values, filter.limit + 1],
  );
  return pageFromRows(rows, filter.limit, entryOf, (row) => [new Date(row.created_at).toISOString(), row.id]);
}
