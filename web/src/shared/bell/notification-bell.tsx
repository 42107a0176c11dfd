import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  Button,
  Center,
  Group,
  Loader,
  NavLink,
  Popover,
  ScrollArea,
  Stack,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState, type MouseEvent } from 'react';
import type { Notification } from '@portal/contracts';
import { actionQuery } from '../api/queries.ts';
import { emailSettingsPath } from '../email-preferences/email-preferences-config.ts';
import { ErrorNotice } from '../feedback/states.tsx';
import { TimeAgo } from '../format/time-ago.tsx';
import type { BellConfig } from './bell-config.ts';
import { unreadCountQuery, useBellStream } from './bell-stream.ts';
import { useFollowNotification, useMarkAllRead } from './read-notifications.ts';

/** How many of the latest notifications the bell's panel lists. */
const latestCount = 8;

/** "Notifications, 2 unread": the button's name says the count the badge shows. */
export function bellLabel(unread: number | undefined): string {
  return unread === undefined ? 'Notifications' : `Notifications, ${unread} unread`;
}

/**
 * The bell in the header of both apps: the unread count on the button, a panel of the latest
 * notifications (each a link into the app, read on the way), "Mark all as read". It keeps the live
 * stream open while it is mounted (the signed-in frame) and announces each new notification politely.
 */
export function NotificationBell({ bell }: { bell: BellConfig }) {
  const headingId = useId();
  const [opened, setOpened] = useState(false);
  const [announcement, setAnnouncement] = useState<{ text: string; key: number } | null>(null);
  const count = useQuery(unreadCountQuery(bell));
  const latest = useQuery({ ...actionQuery(bell.list, { limit: latestCount }), enabled: opened });
  const { follow } = useFollowNotification(bell);
  const markAllRead = useMarkAllRead(bell);
  useBellStream(bell, (notification) =>
    setAnnouncement((previous) => ({ text: `New notification: ${notification.title}`, key: (previous?.key ?? 0) + 1 })),
  );

  const unread = count.data?.unread;
  const items = latest.data?.items.slice(0, latestCount) ?? [];

  return (
    <>
      <Popover
        opened={opened}
        onChange={setOpened}
        position="bottom-end"
        width={360}
        shadow="md"
        withinPortal
        trapFocus
      >
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label={bellLabel(unread)}
            onClick={() => setOpened((open) => !open)}
            style={{ overflow: 'visible' }}
          >
            <IconBell size={20} aria-hidden />
            {unread !== undefined && unread > 0 && (
              <Badge
                size="xs"
                variant="filled"
                color="red"
                circle={unread < 10}
                pos="absolute"
                top={-4}
                right={-6}
                aria-hidden
                style={{ pointerEvents: 'none' }}
              >
                {unread > 99 ? '99+' : unread}
              </Badge>
            )}
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown p={0} aria-labelledby={headingId}>
          <Group justify="space-between" px="sm" py="xs" wrap="nowrap">
            <Text component="h2" id={headingId} fw={600} size="sm" m={0}>
              Notifications
            </Text>
            {unread !== undefined && unread > 0 && (
              <Button size="compact-sm" variant="subtle" loading={markAllRead.pending} onClick={markAllRead.markAll}>
                Mark all as read
              </Button>
            )}
          </Group>
          {latest.isPending ? (
            <Center py="md" role="status">
              <Loader size="sm" aria-label="Loading notifications" />
            </Center>
          ) : latest.error && !latest.data ? (
            <Box p="sm">
              <ErrorNotice
                error={latest.error}
                title="The notifications could not be loaded"
                onRetry={() => void latest.refetch()}
              />
            </Box>
          ) : items.length === 0 ? (
            <Stack gap={4} px="sm" pb="md" pt={4}>
              <Text size="sm" fw={500}>
                You’re all caught up
              </Text>
              <Text size="sm" c="dimmed">
                New requests and answers show up here.
              </Text>
            </Stack>
          ) : (
            <>
              {unread === 0 && (
                <Text size="sm" c="dimmed" px="sm" pb={4}>
                  You’re all caught up
                </Text>
              )}
              <ScrollArea.Autosize mah={420} type="auto">
                <Stack gap={0} pb={4}>
                  {items.map((notification, index) => (
                    <NotificationLink
                      key={notification.id}
                      autoFocus={index === 0}
                      notification={notification}
                      onClick={(event) => follow(event, notification, () => setOpened(false))}
                    />
                  ))}
                </Stack>
              </ScrollArea.Autosize>
            </>
          )}
          <Group
            justify="space-between"
            wrap="nowrap"
            px="sm"
            py="xs"
            style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
          >
            <Anchor
              size="sm"
              renderRoot={(props) => <Link {...props} to="/notifications" />}
              onClick={() => setOpened(false)}
            >
              See all notifications
            </Anchor>
            <Anchor
              size="sm"
              renderRoot={(props) => <Link {...props} to={emailSettingsPath} />}
              onClick={() => setOpened(false)}
            >
              E-mail settings
            </Anchor>
          </Group>
        </Popover.Dropdown>
      </Popover>
      <VisuallyHidden role="status" aria-live="polite" aria-atomic="true">
        {announcement && <span key={announcement.key}>{announcement.text}</span>}
      </VisuallyHidden>
    </>
  );
}

/** One notification as a link: unread dot, title, body, time ago. */
export function NotificationLink({
  notification,
  onClick,
  autoFocus = false,
}: {
  notification: Notification;
  onClick: (event: MouseEvent<HTMLAnchorElement>) => void;
  /** The first link of the panel takes the focus when it opens (Mantine's focus trap reads `data-autofocus`). */
  autoFocus?: boolean;
}) {
  const unread = notification.readAt === null;
  return (
    <NavLink
      component="a"
      href={notification.link}
      onClick={onClick}
      data-autofocus={autoFocus || undefined}
      leftSection={
        <Box
          aria-hidden
          w={8}
          h={8}
          style={{
            borderRadius: '50%',
            background: unread ? 'var(--mantine-primary-color-filled)' : 'transparent',
          }}
        />
      }
      styles={{ section: { alignSelf: 'flex-start', marginTop: 6 } }}
      label={
        <>
          <Text component="span" size="sm" fw={unread ? 600 : 400} display="block">
            {notification.title}
          </Text>
          {unread && <VisuallyHidden> (unread)</VisuallyHidden>}
        </>
      }
      description={
        <>
          {notification.body && (
            <Text component="span" size="xs" c="dimmed" display="block" lineClamp={2}>
              {notification.body}
            </Text>
          )}
          <TimeAgo at={notification.createdAt} size="xs" c="dimmed" display="block" />
        </>
      }
    />
  );
}
