import { z } from 'zod';
import { defineAction, type ActionContract } from '../contract.ts';
import { idSchema, pageOf, pageParamsSchema, queryBoolean, type HttpBinding } from '../http.ts';
import { notificationRecipientSchema, notificationSchema, unreadCountSchema } from './models.ts';

const listParams = pageParamsSchema.extend({
  unread: queryBoolean.optional().describe('`true`: only unread notifications.'),
});
const readParams = z.object({ notificationId: idSchema });
const readAllResult = z.object({ marked: z.int().nonnegative().describe('How many were unread until now.') });

type Bell = 'staff' | 'portal';
const binding = (bell: Bell, method: 'GET' | 'POST', path: string, summary: string): HttpBinding =>
  bell === 'staff'
    ? {
        audience: 'staff',
        permission: 'notifications:read',
        tag: 'Notifications',
        method,
        path: `/admin/notifications${path}`,
        summary,
      }
    : { audience: 'portal', tag: 'Portal notifications', method, path: `/portal/notifications${path}`, summary };

const whose = (bell: Bell) => (bell === 'staff' ? 'the signed-in staff user' : 'the signed-in contact');

/**
 * The bell's four actions for one audience. The recipient is always the caller (the staff user or
 * the contact of the verified token), never a parameter; another recipient's notification answers
 * 404 like one that does not exist.
 */
function bellActions(bell: Bell) {
  return {
    list: defineAction({
      description: `The notifications of ${whose(bell)}, newest first.`,
      errors: ['NOTIFICATION_RECIPIENT_REQUIRED'],
      params: listParams,
      result: pageOf(notificationSchema),
      http: binding(bell, 'GET', '', 'My notifications'),
    }),
    unreadCount: defineAction({
      description: `How many notifications of ${whose(bell)} are unread, and the newest one's sequence.`,
      errors: ['NOTIFICATION_RECIPIENT_REQUIRED'],
      params: z.object({}),
      result: unreadCountSchema,
      http: binding(bell, 'GET', '/unread-count', 'My unread count'),
    }),
    markRead: defineAction({
      description: `Marks one notification of ${whose(bell)} read (again: no change); answers it.`,
      errors: ['NOTIFICATION_NOT_FOUND', 'NOTIFICATION_RECIPIENT_REQUIRED'],
      params: readParams,
      result: notificationSchema,
      http: binding(bell, 'POST', '/:notificationId/read', 'Mark a notification read'),
    }),
    markAllRead: defineAction({
      description: `Marks every notification of ${whose(bell)} read.`,
      errors: ['NOTIFICATION_RECIPIENT_REQUIRED'],
      params: z.object({}),
      result: readAllResult,
      http: binding(bell, 'POST', '/read-all', 'Mark all notifications read'),
    }),
  } satisfies Record<string, ActionContract>;
}

const staffBell = bellActions('staff');
const portalBell = bellActions('portal');

/**
 * Internal (no HTTP binding): what a recipient missed after a sequence, oldest first. The gateway
 * replays it on an SSE stream that resumes with `Last-Event-ID`.
 */
export const listNotificationsSince = defineAction({
  description: 'Notifications of one recipient with a sequence after `afterSequence`, oldest first.',
  errors: [],
  params: z.object({
    recipient: notificationRecipientSchema,
    afterSequence: z.int().nonnegative(),
    limit: z.int().min(1).max(500).default(100),
  }),
  result: z.object({ items: z.array(notificationSchema), more: z.boolean() }),
});

export const notificationsActions = {
  'notifications.listStaffNotifications': staffBell.list,
  'notifications.countStaffUnread': staffBell.unreadCount,
  'notifications.markStaffNotificationRead': staffBell.markRead,
  'notifications.markAllStaffNotificationsRead': staffBell.markAllRead,
  'notifications.listPortalNotifications': portalBell.list,
  'notifications.countPortalUnread': portalBell.unreadCount,
  'notifications.markPortalNotificationRead': portalBell.markRead,
  'notifications.markAllPortalNotificationsRead': portalBell.markAllRead,
  'notifications.listSince': listNotificationsSince,
} as const;
