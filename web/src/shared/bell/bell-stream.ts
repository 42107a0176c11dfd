import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { z } from 'zod';
import { bellReadFrameSchema, notificationSchema, type Notification, type UnreadCount } from '@portal/contracts';
import { ApiError } from '../api/api-error.ts';
import { actionKey, actionQuery } from '../api/queries.ts';
import type { BellConfig } from './bell-config.ts';
import {
  countAfterRead,
  countWithNotification,
  pageAfterRead,
  pageWithNotification,
  type NotificationPage,
} from './bell-cache.ts';

/** How long to wait before starting over after the stream gave up: 3 s (the server's `retry`), doubling to 30 s. */
const restartDelayMs = (failures: number) => Math.min(30_000, 3000 * 2 ** Math.max(0, failures - 1));

/**
 * The unread count. No retries of its own: the live connection starts over from it with its own
 * back-off (3 s to 30 s), so a bell whose service is down asks seldom instead of on two schedules.
 */
export const unreadCountQuery = (bell: BellConfig) => ({ ...actionQuery(bell.count, {}), retry: false });

/** A frame's data read with its contract schema; anything else is ignored. */
function parsed<S extends z.ZodType>(schema: S, data: string): z.output<S> | null {
  try {
    const result = schema.safeParse(JSON.parse(data));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

const listParamsOf = (queryKey: readonly unknown[]) => (queryKey[1] ?? {}) as { cursor?: string; unread?: unknown };
const onlyUnread = (params: { unread?: unknown }) => params.unread === true || params.unread === 'true';

/**
 * Notifications read (by this tab's click or "Mark all as read", or a `read` frame from another tab):
 * every cached list shows them read at once, then the lists refetch; `unread`, when known, is the count.
 */
export function applyRead(
  queryClient: QueryClient,
  bell: BellConfig,
  notificationIds: readonly string[] | null,
  unread?: number,
): void {
  const readAt = new Date().toISOString();
  for (const query of queryClient.getQueryCache().findAll({ queryKey: [bell.list] })) {
    const params = listParamsOf(query.queryKey);
    queryClient.setQueryData<NotificationPage>(query.queryKey, (page) =>
      pageAfterRead(page, notificationIds, readAt, onlyUnread(params)),
    );
  }
  if (unread !== undefined) {
    queryClient.setQueryData<UnreadCount>(actionKey(bell.count, {}), (count) => countAfterRead(count, unread));
  }
  void queryClient.invalidateQueries({ queryKey: [bell.list] });
}

/** A live notification into the count and list queries: the first page patched, later pages refetched. */
function patchWithNotification(queryClient: QueryClient, bell: BellConfig, notification: Notification): void {
  queryClient.setQueryData<UnreadCount>(actionKey(bell.count, {}), (count) =>
    countWithNotification(count, notification),
  );
  for (const query of queryClient.getQueryCache().findAll({ queryKey: [bell.list] })) {
    const params = listParamsOf(query.queryKey);
    if (params.cursor) {
      void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
    } else {
      queryClient.setQueryData<NotificationPage>(query.queryKey, (page) =>
        pageWithNotification(page, notification, onlyUnread(params)),
      );
    }
  }
}

/**
 * The bell's live connection while the person is signed in: one EventSource, patching the TanStack
 * Query caches of the count and list actions (no store of its own), and making stale the screens'
 * queries a notification is about (a new request refetches the Requests screen). It starts from the unread
 * count's `latestSequence`, so nothing written between the count and the stream is missed; the
 * browser's own reconnects resume with `Last-Event-ID`. When the stream gives up (an answer that is
 * not a stream: 401 once the session is over, a 5xx) it starts over from the count, whose 401 hands
 * over to the app's session handling.
 */
export function useBellStream(bell: BellConfig, onNotification: (notification: Notification) => void): void {
  const queryClient = useQueryClient();
  const announce = useRef(onNotification);
  useEffect(() => {
    announce.current = onNotification;
  });

  useEffect(() => {
    let source: EventSource | null = null;
    let restart: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let failures = 0;
    let connections = 0;

    const startOver = () => {
      if (stopped) return;
      failures += 1;
      restart = setTimeout(() => void connect(), restartDelayMs(failures));
    };
    /** After a gap, `read` frames may have been missed (they carry no id and are not replayed). */
    const refreshAfterGap = () => {
      void queryClient.invalidateQueries({ queryKey: [bell.count] });
      void queryClient.invalidateQueries({ queryKey: [bell.list] });
    };

    async function connect(): Promise<void> {
      let latestSequence: number | null;
      try {
        latestSequence = (await queryClient.fetchQuery({ ...unreadCountQuery(bell), staleTime: 0 })).latestSequence;
      } catch (error) {
        // A 401 has already sent the person to sign in (callAction); anything else may pass.
        if (!(error instanceof ApiError && error.status === 401)) startOver();
        return;
      }
      if (stopped) return;
      if (connections > 0) void queryClient.invalidateQueries({ queryKey: [bell.list] });
      connections += 1;
      const opened = new EventSource(`${bell.streamUrl}${latestSequence ? `?lastEventId=${latestSequence}` : ''}`);
      source = opened;
      let reconnecting = false;
      opened.addEventListener('open', () => {
        failures = 0;
        if (reconnecting) refreshAfterGap();
        reconnecting = false;
      });
      opened.addEventListener('notification', (event) => {
        const notification = parsed(notificationSchema, event.data);
        if (!notification) return;
        patchWithNotification(queryClient, bell, notification);
        for (const action of bell.staleOnArrival[notification.type] ?? []) {
          void queryClient.invalidateQueries({ queryKey: [action] });
        }
        announce.current(notification);
      });
      opened.addEventListener('read', (event) => {
        const frame = parsed(bellReadFrameSchema, event.data);
        if (!frame) return;
        applyRead(queryClient, bell, frame.notificationIds, frame.unread);
      });
      opened.addEventListener('error', () => {
        // CONNECTING: a dropped connection the browser retries itself (after `retry`, with Last-Event-ID).
        if (opened.readyState !== EventSource.CLOSED) {
          reconnecting = true;
          return;
        }
        opened.close();
        if (source === opened) source = null;
        startOver();
      });
    }

    void connect();
    return () => {
      stopped = true;
      clearTimeout(restart);
      source?.close();
    };
  }, [bell, queryClient]);
}
