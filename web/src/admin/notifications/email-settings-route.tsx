import { createRoute } from '@tanstack/react-router';
import { appEmailPreferences } from '../../shared/email-preferences/email-preferences-config.ts';
import { EmailPreferencesScreen } from '../../shared/email-preferences/email-preferences-screen.tsx';
import { adminRootRoute } from '../root-route.tsx';

/** `/notifications/settings`: the signed-in staff user's own e-mail preferences (the user menu, the bell). */
export const emailSettingsRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'notifications/settings',
  component: () => <EmailPreferencesScreen preferences={appEmailPreferences.admin} />,
});
