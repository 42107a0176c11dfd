import type { NotificationRecipient, WebApp } from '@portal/contracts';

/** What one app's e-mail settings talk to: its pair of contract actions, and whose event types it lists. */
export interface EmailPreferencesConfig {
  get: 'notifications.getStaffEmailPreferences' | 'notifications.getPortalEmailPreferences';
  set: 'notifications.setStaffEmailPreferences' | 'notifications.setPortalEmailPreferences';
  audience: NotificationRecipient['kind'];
}

export const appEmailPreferences = {
  admin: {
    get: 'notifications.getStaffEmailPreferences',
    set: 'notifications.setStaffEmailPreferences',
    audience: 'staff',
  },
  portal: {
    get: 'notifications.getPortalEmailPreferences',
    set: 'notifications.setPortalEmailPreferences',
    audience: 'contact',
  },
} as const satisfies Record<WebApp, EmailPreferencesConfig>;

/** The settings' path inside either app (the routers add `/admin` or `/portal`). */
export const emailSettingsPath = '/notifications/settings';
