import { Anchor, Badge, Button, Stack, Text } from '@mantine/core';
import { IconChecks, IconMailCog } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { z } from 'zod';
import type { Notification } from '@portal/contracts';
import { actionQuery } from '../api/queries.ts';
import { emailSettingsPath } from '../email-preferences/email-preferences-config.ts';
import { EmptyState } from '../feedback/states.tsx';
import { TimeAgo } from '../format/time-ago.tsx';
import { ChoiceFilter } from '../forms/choice-filter.tsx';
import { Page } from '../layout/page.tsx';
import { rowActionsColumn } from '../tables/columns.tsx';
import { CursorTable } from '../tables/cursor-table.tsx';
import type { BellConfig } from './bell-config.ts';
import { unreadCountQuery } from './bell-stream.ts';
import { useFollowNotification, useMarkAllRead } from './read-notifications.ts';

/** `/notifications?unread=true&cursor=`: the filter and the page in the URL. */
export const notificationsSearchSchema = z.object({
  unread: z.boolean().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
export type NotificationsSearch = z.infer<typeof notificationsSearchSchema>;

/**
 * Every notification of the signed-in person, newest first, a keyset page at a time (the bell's
 * panel shows the latest few). Each app hangs it on its own route with its bell.
 */
export function NotificationsScreen({
  bell,
  search,
  onSearchChange,
}: {
  bell: BellConfig;
  search: NotificationsSearch;
  onSearchChange: (change: Partial<NotificationsSearch>) => void;
}) {
  const list = useQuery({
    ...actionQuery(bell.list, { limit: 25, cursor: search.cursor, unread: search.unread }),
    placeholderData: keepPreviousData,
  });
  const count = useQuery(unreadCountQuery(bell));
  const { follow, read } = useFollowNotification(bell);
  const markAllRead = useMarkAllRead(bell);
  const unread = count.data?.unread ?? 0;

  return (
    <Page
      title="Notifications"
      description="What happened that concerns you, newest first."
      actions={
        <>
          <Button
            variant="subtle"
            leftSection={<IconMailCog size={16} aria-hidden />}
            renderRoot={(props) => <Link {...props} to={emailSettingsPath} />}
          >
            E-mail settings
          </Button>
          {unread > 0 && (
            <Button
              variant="default"
              leftSection={<IconChecks size={16} aria-hidden />}
              loading={markAllRead.pending}
              onClick={markAllRead.markAll}
            >
              Mark all as read
            </Button>
          )}
        </>
      }
    >
      <ChoiceFilter<'all' | 'unread'>
        label="Show"
        value={search.unread ? 'unread' : 'all'}
        options={[
          { value: 'all', label: 'All' },
          { value: 'unread', label: 'Unread' },
        ]}
        onChange={(value) => onSearchChange({ unread: value === 'unread' ? true : undefined, cursor: undefined })}
      />
      <CursorTable<Notification>
        label="Notifications"
        query={list}
        cursor={search.cursor}
        onCursorChange={(cursor) => onSearchChange({ cursor })}
        empty={
          <EmptyState title="You’re all caught up">
            {search.unread ? 'Nothing unread. Choose “All” to see what you have read.' : 'Nothing has happened yet.'}
          </EmptyState>
        }
        columns={[
          {
            accessor: 'title',
            title: 'Notification',
            render: (notification) => (
              <Stack gap={0}>
                <Anchor
                  size="sm"
                  fw={notification.readAt === null ? 600 : 400}
                  href={notification.link}
                  onClick={(event) => follow(event, notification)}
                >
                  {notification.title}
                </Anchor>
                {notification.body && (
                  <Text size="xs" c="dimmed">
                    {notification.body}
                  </Text>
                )}
              </Stack>
            ),
          },
          {
            accessor: 'createdAt',
            title: 'When',
            render: (notification) => <TimeAgo at={notification.createdAt} size="sm" />,
          },
          {
            accessor: 'readAt',
            title: 'Status',
            render: (notification) =>
              notification.readAt === null ? (
                <Badge size="sm" variant="light">
                  Unread
                </Badge>
              ) : (
                <Text size="sm" c="dimmed">
                  Read
                </Text>
              ),
          },
          rowActionsColumn<Notification>([
            {
              label: 'Mark read',
              name: (notification) => `Mark read: ${notification.title}`,
              when: (notification) => notification.readAt === null,
              onClick: read,
            },
          ]),
        ]}
      />
    </Page>
  );
}
