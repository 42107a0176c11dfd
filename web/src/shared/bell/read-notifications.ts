import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import type { MouseEvent } from 'react';
import type { Notification } from '@portal/contracts';
import { useActionMutation } from '../api/queries.ts';
import { notifyFailed } from '../feedback/notify.tsx';
import type { BellConfig } from './bell-config.ts';
import { applyRead } from './bell-stream.ts';

/**
 * Following a notification's link: it is marked read on the way, and a plain click navigates within
 * the app (a modified click is left to the browser: a new tab). The link is the app's public path
 * (`/portal/requests`); the router takes its base off.
 */
export function useFollowNotification(bell: BellConfig) {
  const router = useRouter();
  const queryClient = useQueryClient();
  // Shown read at once; the count follows from the server (and the stream's `read` frame).
  const markRead = useActionMutation(bell.markRead, {
    invalidates: [bell.count],
    onSuccess: (notification) => applyRead(queryClient, bell, [notification.id]),
  });
  const read = (notification: Notification) =>
    markRead.mutate(
      { notificationId: notification.id },
      { onError: (error) => notifyFailed('The notification was not marked read', error) },
    );
  const follow = (event: MouseEvent<HTMLAnchorElement>, notification: Notification, beforeNavigate?: () => void) => {
    if (notification.readAt === null) read(notification);
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    beforeNavigate?.();
    void router.navigate({ href: notification.link });
  };
  return { follow, read, reading: markRead };
}

/** "Mark all as read": every list shows them read and the count is 0 as soon as the server says so. */
export function useMarkAllRead(bell: BellConfig) {
  const queryClient = useQueryClient();
  const markAllRead = useActionMutation(bell.markAllRead, {
    onSuccess: () => applyRead(queryClient, bell, null, 0),
  });
  return {
    pending: markAllRead.isPending,
    markAll: () =>
      markAllRead.mutate({}, { onError: (error) => notifyFailed('The notifications were not marked read', error) }),
  };
}
