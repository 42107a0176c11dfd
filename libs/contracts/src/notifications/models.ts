import { z } from 'zod';

const timestamp = z.iso.datetime({ offset: true });

/** What a bell notification is about; the UI may pick an icon by it. */
export const notificationTypes = [
  'document-request.created',
  'document-request.fulfilled',
  'access-request.received',
  'submittal.sent',
  'submittal.returned',
  'submittal.received',
  'submittal.overdue',
] as const;
export const notificationTypeSchema = z.enum(notificationTypes);
export type NotificationType = z.infer<typeof notificationTypeSchema>;

/** Who a notification is for: a staff user (Keycloak user id of realm `staff`) or a contact. */
export const notificationRecipientKinds = ['staff', 'contact'] as const;
export const notificationRecipientSchema = z.object({
  kind: z.enum(notificationRecipientKinds),
  id: z.string().min(1).max(100),
});
export type NotificationRecipient = z.infer<typeof notificationRecipientSchema>;

/** An app path the bell links to: `/portal/...` or `/admin/...`, never another origin. */
export const notificationLinkSchema = z
  .string()
  .max(500)
  .regex(/^\/(admin|portal)(\/[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?$/, 'a path under /admin or /portal');

export const notificationSchema = z.object({
  id: z.uuid(),
  sequence: z
    .int()
    .positive()
    .describe(
      "Increases with every notification of the installation: the SSE stream's event id, and what `Last-Event-ID` resumes after.",
    ),
  type: notificationTypeSchema,
  title: z.string(),
  body: z.string().nullable(),
  link: notificationLinkSchema.describe('Where the bell leads, a path of the same web app.'),
  readAt: timestamp.nullable(),
  createdAt: timestamp,
});
export type Notification = z.infer<typeof notificationSchema>;

export const unreadCountSchema = z.object({
  unread: z.int().nonnegative(),
  latestSequence: z
    .int()
    .positive()
    .nullable()
    .describe(
      "The newest notification's sequence (read or not): open the stream with it as `lastEventId` to miss nothing.",
    ),
});
export type UnreadCount = z.infer<typeof unreadCountSchema>;

// ---- live signals between the notifications service and the gateways --------------------------

/**
 * Plain broadcasts (not durable; DESIGN rule 3): the notifications service tells every gateway
 * replica what it just committed, and each writes it to the recipient's open streams. A lost one
 * is recovered by the stream's replay from `Last-Event-ID` on the next reconnect.
 */
export const notificationCreatedSignal = 'notifications.created';
export const notificationCreatedSignalSchema = z.object({
  recipient: notificationRecipientSchema,
  notification: notificationSchema,
});
export type NotificationCreatedSignal = z.infer<typeof notificationCreatedSignalSchema>;

/** A recipient read one notification or all of them (another tab's bell follows). */
export const notificationsReadSignal = 'notifications.read';
export const notificationsReadSignalSchema = z.object({
  recipient: notificationRecipientSchema,
  notificationIds: z.array(z.uuid()).nullable().describe('null: all of them.'),
  unread: z.int().nonnegative(),
});
export type NotificationsReadSignal = z.infer<typeof notificationsReadSignalSchema>;

// ---- the live stream ---------------------------------------------------------------------------

/**
 * The bell's Server-Sent Events routes under `/api/v1` (not contract actions: the gateway holds the
 * response open). Frames: `event: notification` with `id:` = the notification's sequence and the
 * notification as `data:`; `event: read` (no id) with `{ notificationIds, unread }`; `:` heartbeats.
 */
export const bellStreamPaths = {
  staff: '/admin/notifications/stream',
  portal: '/portal/notifications/stream',
} as const;

/** The `read` frame's data: which notifications another tab (or this one) marked read, and the unread count after. */
export const bellReadFrameSchema = notificationsReadSignalSchema.omit({ recipient: true });
