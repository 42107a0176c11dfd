import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Notification, NotificationRecipient, NotificationType } from '@portal/contracts';
import { isoOf, isoOrNull, keysetAfter, pageFromRows, type SqlTimestamp } from '@portal/kit';

interface NotificationRow {
  id: string;
  sequence: string;
  type: NotificationType;
  title: string;
  body: string | null;
  link: string;
  read_at: SqlTimestamp | null;
  created_at: SqlTimestamp;
}

const columns = 'id, sequence, type, title, body, link, read_at, created_at';

function notificationOf(row: NotificationRow): Notification {
  return {
    id: row.id,
    sequence: Number(row.sequence),
    type: row.type,
    title: row.title,
    body: row.body,
    link: row.link,
    readAt: isoOrNull(row.read_at),
    createdAt: isoOf(row.created_at),
  };
}

/** One notification to write: for whom, about what, caused by which durable event. */
export interface NewNotification {
  recipient: NotificationRecipient;
  type: NotificationType;
  title: string;
  body: string | null;
  link: string;
  sourceEventId: string;
}

/**
 * Writes notifications; one already written for the same event and recipient is skipped (a
 * redelivered event notifies nobody twice). Answers the rows written, with their recipients.
 *
 * The transaction-scoped advisory lock makes sequences commit in the order they were drawn: a
 * stream resuming after sequence N must never later meet a smaller one that committed late. It is
 * held from here to the commit, so callers write notifications last in their transaction.
 */
export async function insertNotifications(
  em: EntityManager,
  notifications: readonly NewNotification[],
): Promise<{ recipient: NotificationRecipient; notification: Notification }[]> {
  if (notifications.length === 0) return [];
  await em.execute(`select pg_advisory_xact_lock(hashtext('notifications.notification.sequence'))`);
  const written: { recipient: NotificationRecipient; notification: Notification }[] = [];
  for (const entry of notifications) {
    const [row] = await em.execute<NotificationRow[]>(
      `insert into notification (id, recipient_kind, recipient_id, type, title, body, link, source_event_id)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (source_event_id, recipient_kind, recipient_id) do nothing
       returning ${columns}`,
      [
        randomUUID(),
        entry.recipient.kind,
        entry.recipient.id,
        entry.type,
        entry.title,
        entry.body,
        entry.link,
        entry.sourceEventId,
      ],
    );
    if (row) written.push({ recipient: entry.recipient, notification: notificationOf(row) });
  }
  return written;
}

/** A recipient's notifications, newest first, keyset by sequence. */
export async function listNotificationPage(
  em: EntityManager,
  recipient: NotificationRecipient,
  args: { limit: number; cursor?: string | undefined; unread?: boolean | undefined },
): Promise<{ items: Notification[]; nextCursor: string | null }> {
  const params: unknown[] = [recipient.kind, recipient.id];
  let where = 'recipient_kind = ? and recipient_id = ?';
  if (args.unread) where += ' and read_at is null';
  if (args.cursor) {
    const [sequence] = keysetAfter(args.cursor, 1, 'serial');
    where += ' and sequence < ?';
    params.push(sequence);
  }
  const rows = await em.execute<NotificationRow[]>(
    `select ${columns} from notification where ${where} order by sequence desc limit ?`,
    [...params, args.limit + 1],
  );
  return pageFromRows(rows, args.limit, notificationOf, (row) => [row.sequence]);
}

/** The newest notifications written within the last `withinMs`, at most `limit`, oldest first. */
export async function listNotificationsWrittenLately(
  em: EntityManager,
  withinMs: number,
  limit: number,
): Promise<{ recipient: NotificationRecipient; notification: Notification }[]> {
  const rows = await em.execute<(NotificationRow & { recipient_kind: 'staff' | 'contact'; recipient_id: string })[]>(
    `select * from (
       select ${columns}, recipient_kind, recipient_id from notification
       where created_at > now() - (? * interval '1 millisecond')
       order by sequence desc limit ?
     ) latest order by sequence`,
    [withinMs, limit],
  );
  return rows.map((row) => ({
    recipient: { kind: row.recipient_kind, id: row.recipient_id },
    notification: notificationOf(row),
  }));
}

/** What a recipient missed after `afterSequence`, oldest first. */
export async function listNotificationsSince(
  em: EntityManager,
  recipient: NotificationRecipient,
  afterSequence: number,
  limit: number,
): Promise<{ items: Notification[]; more: boolean }> {
  const rows = await em.execute<NotificationRow[]>(
    `select ${columns} from notification
     where recipient_kind = ? and recipient_id = ? and sequence > ?
     order by sequence limit ?`,
    [recipient.kind, recipient.id, afterSequence, limit + 1],
  );
  return { items: rows.slice(0, limit).map(notificationOf), more: rows.length > limit };
}

export async function countUnread(
  em: EntityManager,
  recipient: NotificationRecipient,
): Promise<{ unread: number; latestSequence: number | null }> {
  const [row] = await em.execute<{ unread: string; latest: string | null }[]>(
    `select count(*) filter (where read_at is null) as unread, max(sequence) as latest
     from notification where recipient_kind = ? and recipient_id = ?`,
    [recipient.kind, recipient.id],
  );
  return { unread: Number(row?.unread ?? 0), latestSequence: row?.latest ? Number(row.latest) : null };
}

/**
 * Marks one of the recipient's notifications read (a read one keeps its time); null when it is not
 * the recipient's or does not exist. `wasUnread` says whether this call changed it.
 */
export async function markRead(
  em: EntityManager,
  recipient: NotificationRecipient,
  notificationId: string,
): Promise<{ notification: Notification; wasUnread: boolean } | null> {
  const [row] = await em.execute<(NotificationRow & { was_unread: boolean })[]>(
    `with target as (
       select id, read_at from notification where id = ? and recipient_kind = ? and recipient_id = ? for update
     )
     update notification n set read_at = coalesce(n.read_at, now())
     from target where n.id = target.id
     returning ${columns
       .split(', ')
       .map((column) => `n.${column}`)
       .join(', ')}, target.read_at is null as was_unread`,
    [notificationId, recipient.kind, recipient.id],
  );
  return row ? { notification: notificationOf(row), wasUnread: row.was_unread } : null;
}

/** Marks every unread notification of the recipient read; how many there were. */
export async function markAllRead(em: EntityManager, recipient: NotificationRecipient): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `update notification set read_at = now()
     where recipient_kind = ? and recipient_id = ? and read_at is null
     returning id`,
    [recipient.kind, recipient.id],
  );
  return rows.length;
}
