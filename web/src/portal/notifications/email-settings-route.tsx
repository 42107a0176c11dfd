import { createRoute } from '@tanstack/react-router';
import { appEmailPreferences } from '../../shared/email-preferences/email-preferences-config.ts';
import { EmailPreferencesScreen } from '../../shared/email-preferences/email-preferences-screen.tsx';
import { signedInRoute } from '../root-route.tsx';

/** `/notifications/settings`: the signed-in contact's own e-mail preferences (the bell, Profile, the user menu). */
export const emailSettingsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'notifications/settings',
  component: () => <EmailPreferencesScreen preferences={appEmailPreferences.portal} />,
});
