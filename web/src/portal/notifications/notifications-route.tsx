import { createRoute } from '@tanstack/react-router';
import { appBells } from '../../shared/bell/bell-config.ts';
import {
  NotificationsScreen,
  notificationsSearchSchema,
  type NotificationsSearch,
} from '../../shared/bell/notifications-screen.tsx';
import { signedInRoute, type SignedInSearch } from '../root-route.tsx';

/** `/notifications`: every notification of the signed-in contact (the bell's "See all notifications"). */
export const notificationsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'notifications',
  validateSearch: notificationsSearchSchema,
  component: ContactNotifications,
});

function ContactNotifications() {
  const navigate = notificationsRoute.useNavigate();
  return (
    <NotificationsScreen
      bell={appBells.portal}
      search={notificationsRoute.useSearch()}
      onSearchChange={(change) =>
        void navigate({
          search: (previous: NotificationsSearch & SignedInSearch) => ({ ...previous, ...change }),
        })
      }
    />
  );
}
