import type moleculer from 'moleculer';
import type { NotificationRecipient } from '@portal/contracts';
import { callerOf, contractAction, type TransactionalStore } from '@portal/kit';
import { notificationsError } from '../errors.ts';
import type { BellSignals } from './bell-signals.ts';
import {
  countUnread,
  listNotificationPage,
  listNotificationsSince,
  markAllRead,
  markRead,
} from './notifications.repository.ts';

/**
 * The caller's own bell: the staff user or the contact the gateway put in `meta` from the verified
 * token. Params never name a recipient; a caller of the other kind (or none) has no bell here.
 */
function recipientOf(ctx: moleculer.Context, kind: NotificationRecipient['kind']): NotificationRecipient {
  const { actor } = callerOf(ctx);
  if (kind === 'staff' && actor.kind === 'staff') return { kind, id: actor.userId };
  if (kind === 'contact' && actor.kind === 'contact') return { kind, id: actor.contactId };
  throw notificationsError('NOTIFICATION_RECIPIENT_REQUIRED');
}

const notificationNotFound = () => notificationsError('NOTIFICATION_NOT_FOUND');

/** The bell's actions for both audiences (same rules, the recipient from the caller) and the replay for the gateway. */
export function bellActions(store: TransactionalStore, signals: BellSignals): Record<string, moleculer.ActionSchema> {
  async function read(recipient: NotificationRecipient, notificationId: string) {
    const { notification, wasUnread, unread } = await store.change(async (tx) => {
      const marked = await markRead(tx, recipient, notificationId);
      if (!marked) throw notificationNotFound();
      return { ...marked, unread: (await countUnread(tx, recipient)).unread };
    });
    if (wasUnread) signals.read({ recipient, notificationIds: [notification.id], unread });
    return notification;
  }
  async function readAll(recipient: NotificationRecipient) {
    const marked = await store.change((tx) => markAllRead(tx, recipient));
    if (marked > 0) signals.read({ recipient, notificationIds: null, unread: 0 });
    return { marked };
  }
  return {
    listStaffNotifications: contractAction('notifications.listStaffNotifications', (args, ctx) =>
      listNotificationPage(store.read(), recipientOf(ctx, 'staff'), args),
    ),
    countStaffUnread: contractAction('notifications.countStaffUnread', (_args, ctx) =>
      countUnread(store.read(), recipientOf(ctx, 'staff')),
    ),
    markStaffNotificationRead: contractAction('notifications.markStaffNotificationRead', ({ notificationId }, ctx) =>
      read(recipientOf(ctx, 'staff'), notificationId),
    ),
    markAllStaffNotificationsRead: contractAction('notifications.markAllStaffNotificationsRead', (_args, ctx) =>
      readAll(recipientOf(ctx, 'staff')),
    ),
    listPortalNotifications: contractAction('notifications.listPortalNotifications', (args, ctx) =>
      listNotificationPage(store.read(), recipientOf(ctx, 'contact'), args),
    ),
    countPortalUnread: contractAction('notifications.countPortalUnread', (_args, ctx) =>
      countUnread(store.read(), recipientOf(ctx, 'contact')),
    ),
    markPortalNotificationRead: contractAction('notifications.markPortalNotificationRead', ({ notificationId }, ctx) =>
      read(recipientOf(ctx, 'contact'), notificationId),
    ),
    markAllPortalNotificationsRead: contractAction('notifications.markAllPortalNotificationsRead', (_args, ctx) =>
      readAll(recipientOf(ctx, 'contact')),
    ),
    listSince: contractAction('notifications.listSince', ({ recipient, afterSequence, limit }) =>
      listNotificationsSince(store.read(), recipient, afterSequence, limit),
    ),
  };
}
