import type { Notification, UnreadCount } from '@portal/contracts';

/** A page of the list action, newest first. */
export interface NotificationPage {
  items: Notification[];
  nextCursor: string | null;
}

/**
 * The unread count once a notification arrived live. It is counted once, by its sequence: a replay
 * after a reconnect, or a count fetched just after it was written, may bring the same one again.
 * Nothing loaded yet: left alone (the fetch will count it).
 */
export function countWithNotification(
  count: UnreadCount | undefined,
  notification: Notification,
): UnreadCount | undefined {
  if (!count) return count;
  if (count.latestSequence !== null && notification.sequence <= count.latestSequence) return count;
  return {
    unread: count.unread + (notification.readAt === null ? 1 : 0),
    latestSequence: notification.sequence,
  };
}

/**
 * A first page (no cursor) with a live notification in its place by sequence, once. One older than
 * the page's last item while more pages follow belongs on a later page: left out, so paging on from
 * the page's cursor does not show it twice.
 */
export function pageWithNotification(
  page: NotificationPage | undefined,
  notification: Notification,
  onlyUnread = false,
): NotificationPage | undefined {
  if (!page || page.items.some((item) => item.id === notification.id)) return page;
  if (onlyUnread && notification.readAt !== null) return page;
  const oldest = page.items.at(-1);
  if (page.nextCursor !== null && oldest && notification.sequence < oldest.sequence) return page;
  const items = [...page.items, notification].sort((a, b) => b.sequence - a.sequence);
  return { ...page, items };
}

/** The count after a `read` frame (this tab or another read some): its number, the newest sequence kept. */
export function countAfterRead(count: UnreadCount | undefined, unread: number): UnreadCount | undefined {
  return count && { ...count, unread };
}

/**
 * A page once some notifications were read (`null`: all of them): read from `readAt` on, and gone
 * from an unread-only list. The same page when nothing in it changes.
 */
export function pageAfterRead(
  page: NotificationPage | undefined,
  notificationIds: readonly string[] | null,
  readAt: string,
  onlyUnread = false,
): NotificationPage | undefined {
  if (!page) return page;
  const wasRead = (item: Notification) =>
    item.readAt === null && (notificationIds === null || notificationIds.includes(item.id));
  if (!page.items.some(wasRead)) return page;
  const items = onlyUnread
    ? page.items.filter((item) => !wasRead(item))
    : page.items.map((item) => (wasRead(item) ? { ...item, readAt } : item));
  return { ...page, items };
}
