import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { emailStatuses, emailStatusSchema, type EmailLogEntry, type EmailStatus } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { ChoiceFilter } from '../../shared/forms/choice-filter.tsx';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { PermissionRequired } from '../../shared/session/permission-required.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { adminRootRoute } from '../root-route.tsx';
import {
  EmailStatusBadge,
  emailStatusOptions,
  emailStatusWords,
  eventTypeTitleOf,
  templateTitleOf,
} from './email-words.tsx';

/** The log's view in the URL: status, recipient and page. */
const emailLogSearchSchema = z.object({
  status: emailStatusSchema.optional().catch(undefined),
  recipient: z.string().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type EmailLogSearch = z.infer<typeof emailLogSearchSchema>;

/** `/email-log`: every e-mail the notifications service handled, newest first (settings:write). */
export const emailLogRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'email-log',
  validateSearch: emailLogSearchSchema,
  component: () => (
    <PermissionRequired permission="settings:write" screen="E-mail log">
      <EmailLogScreen />
    </PermissionRequired>
  ),
});

function EmailLogScreen() {
  const search: EmailLogSearch = emailLogRoute.useSearch();
  const navigate = emailLogRoute.useNavigate();
  const log = useQuery({
    ...actionQuery('notifications.listEmailLog', {
      status: search.status,
      recipient: search.recipient,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(search.status || search.recipient);
  const setFilter = (change: Partial<EmailLogSearch>) =>
    void navigate({ search: (previous: EmailLogSearch) => ({ ...previous, ...change, cursor: undefined }) });

  return (
    <Page
      title="E-mail log"
      description="Every e-mail the portal sent or decided not to send, newest first. The bodies are not kept."
    >
      <Group gap="sm" align="flex-end" wrap="wrap">
        <SearchField
          label="Recipient"
          placeholder="The whole e-mail address"
          value={search.recipient}
          onSearch={(recipient) => setFilter({ recipient })}
        />
        <ChoiceFilter<EmailStatus | 'all'>
          label="Status"
          value={search.status ?? 'all'}
          onChange={(value) => setFilter({ status: value === 'all' ? undefined : value })}
          options={[{ value: 'all', label: 'All' }, ...emailStatusOptions]}
        />
      </Group>
      <StatusLegend />
      <CursorTable<EmailLogEntry>
        label="E-mail log"
        query={log}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: EmailLogSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title={filtered ? 'No e-mail matches' : 'No e-mails yet'}>
            {filtered
              ? `No e-mail${search.status ? ` with status “${emailStatusWords[search.status].label}”` : ''}${search.recipient ? ` to ${search.recipient}` : ''}. The recipient filter takes the whole address; change the filters or clear them.`
              : 'E-mails show here as soon as the portal sends one: a submittal sent, a document requested, an access request.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'createdAt', title: 'Created', noWrap: true, render: (entry) => formatDateTime(entry.createdAt) },
          { accessor: 'recipient', title: 'Recipient', render: (entry) => <Text size="sm">{entry.recipient}</Text> },
          { accessor: 'subject', title: 'Subject' },
          {
            accessor: 'template',
            title: 'E-mail',
            render: (entry) => (
              <Stack gap={0}>
                <Text size="sm">{templateTitleOf(entry.template)}</Text>
                {entry.eventType && templateTitleOf(entry.template) !== eventTypeTitleOf(entry.eventType) ? (
                  <Text size="xs" c="dimmed">
                    {eventTypeTitleOf(entry.eventType)}
                  </Text>
                ) : null}
              </Stack>
            ),
          },
          {
            accessor: 'status',
            title: 'Status',
            noWrap: true,
            render: (entry) => <EmailStatusBadge status={entry.status} />,
          },
          { accessor: 'sentAt', title: 'Sent at', noWrap: true, render: (entry) => formatDateTime(entry.sentAt) },
          {
            accessor: 'error',
            title: 'Error',
            render: (entry) =>
              entry.error ? (
                <Text size="sm" c="red.8">
                  {entry.error}
                </Text>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Page>
  );
}

/** What each status means, always in view beside the table (a tooltip would hide it from touch and keyboard). */
function StatusLegend() {
  return (
    <Paper withBorder p="sm" component="section" aria-label="What the statuses mean">
      <SimpleGrid component="dl" cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" verticalSpacing={6} m={0}>
        {emailStatuses.map((status) => (
          <Group key={status} gap="xs" wrap="nowrap" align="flex-start">
            <Text component="dt" m={0} w={104} style={{ flexShrink: 0 }}>
              <Badge size="sm" variant="light" color={emailStatusWords[status].color} component="span">
                {emailStatusWords[status].label}
              </Badge>
            </Text>
            <Text component="dd" size="sm" m={0}>
              {emailStatusWords[status].meaning}
            </Text>
          </Group>
        ))}
      </SimpleGrid>
    </Paper>
  );
}
