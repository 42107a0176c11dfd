import { bellStreamPaths, type ActionName, type NotificationType, type WebApp } from '@portal/contracts';
import { apiPrefix } from '../api/action-client.ts';

/**
 * What one app's bell talks to: its four contract actions and its live stream. Staff and contacts
 * have the same bell over different routes; the component and the stream are written once.
 */
export interface BellConfig {
  list: 'notifications.listStaffNotifications' | 'notifications.listPortalNotifications';
  count: 'notifications.countStaffUnread' | 'notifications.countPortalUnread';
  markRead: 'notifications.markStaffNotificationRead' | 'notifications.markPortalNotificationRead';
  markAllRead: 'notifications.markAllStaffNotificationsRead' | 'notifications.markAllPortalNotificationsRead';
  /** The Server-Sent Events address (not a contract action: the gateway holds the response open). */
  streamUrl: string;
  /** The screens' queries a new notification makes stale, by its type (the list it is about refetches live). */
  staleOnArrival: Partial<Record<NotificationType, readonly ActionName[]>>;
}

export const appBells = {
  admin: {
    list: 'notifications.listStaffNotifications',
    count: 'notifications.countStaffUnread',
    markRead: 'notifications.markStaffNotificationRead',
    markAllRead: 'notifications.markAllStaffNotificationsRead',
    streamUrl: `${apiPrefix}${bellStreamPaths.staff}`,
    staleOnArrival: {
      'document-request.fulfilled': ['documents.listDocumentRequests'],
      'access-request.received': ['identity.listAccessRequests'],
      // A submittal's page and lists, and the navigation's unprocessed count.
      'submittal.returned': ['submittals.listSubmittals', 'submittals.getSubmittal'],
      'submittal.overdue': ['submittals.listSubmittals', 'submittals.getSubmittal'],
      'submittal.received': ['submittals.listIncomingQueue', 'submittals.listIncomingSubmittals'],
    },
  },
  portal: {
    list: 'notifications.listPortalNotifications',
    count: 'notifications.countPortalUnread',
    markRead: 'notifications.markPortalNotificationRead',
    markAllRead: 'notifications.markAllPortalNotificationsRead',
    streamUrl: `${apiPrefix}${bellStreamPaths.portal}`,
    staleOnArrival: {
      // The Requests screen and the navigation's open count.
      'document-request.created': ['documents.listPortalDocumentRequests'],
      'submittal.sent': ['submittals.listPortalSubmittals'],
    },
  },
} as const satisfies Record<WebApp, BellConfig>;
