import { createRoute } from '@tanstack/react-router';
import { appBells } from '../../shared/bell/bell-config.ts';
import {
  NotificationsScreen,
  notificationsSearchSchema,
  type NotificationsSearch,
} from '../../shared/bell/notifications-screen.tsx';
import { adminRootRoute } from '../root-route.tsx';

/** `/notifications`: every notification of the signed-in staff user (the bell's "See all notifications"). */
export const notificationsRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'notifications',
  validateSearch: notificationsSearchSchema,
  component: StaffNotifications,
});

function StaffNotifications() {
  const navigate = notificationsRoute.useNavigate();
  return (
    <NotificationsScreen
      bell={appBells.admin}
      search={notificationsRoute.useSearch()}
      onSearchChange={(change) =>
        void navigate({ search: (previous: NotificationsSearch) => ({ ...previous, ...change }) })
      }
    />
  );
}
