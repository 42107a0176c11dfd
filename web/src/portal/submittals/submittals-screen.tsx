import { Anchor, Badge, Button, Group, Tabs, Text } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import type { PortalIncomingSubmittal, PortalSubmittal } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { formatDate, formatDateTime } from '../../shared/format/dates.ts';
import { Page } from '../../shared/layout/page.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { portalProjectsForNamesQuery, projectLabel } from '../documents/owner-names.ts';
import { signedInRoute, type SignedInSearch } from '../root-route.tsx';
import { incomingStatusWords, portalStatusWords, purposeWords, submittalNumberOf } from './submittal-words.ts';

const submittalTabs = ['received', 'mine'] as const;
type SubmittalTab = (typeof submittalTabs)[number];

const submittalsSearchSchema = z.object({
  tab: z.enum(submittalTabs).optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
export type SubmittalsSearch = z.infer<typeof submittalsSearchSchema> & SignedInSearch;

/** `/submittals`: what the supplier sent for the contact's answer, and (`?tab=mine`) what the contact sent. */
export const submittalsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'submittals',
  validateSearch: submittalsSearchSchema,
  component: SubmittalsScreen,
});

/** The contact's projects by id, named "Tower A (P-01)". */
export function useProjectNames() {
  const projects = useQuery(portalProjectsForNamesQuery()).data?.items ?? [];
  const byId = new Map(projects.map((project) => [project.id, project]));
  return {
    projects,
    nameOf: (projectId: string) => {
      const project = byId.get(projectId);
      return project ? projectLabel(project) : 'Project';
    },
  };
}

function SubmittalsScreen() {
  const search: SubmittalsSearch = submittalsRoute.useSearch();
  const navigate = submittalsRoute.useNavigate();
  const tab: SubmittalTab = search.tab ?? 'received';
  return (
    <Page
      title="Submittals"
      description="Documents your supplier sent for your approval or review, and submittals you sent to a project."
      actions={
        <Button
          leftSection={<IconSend size={16} aria-hidden />}
          renderRoot={(props) => <Link {...props} to="/submittals/send" />}
        >
          Send a submittal
        </Button>
      }
    >
      <Tabs
        value={tab}
        onChange={(next) =>
          void navigate({
            search: (previous: SubmittalsSearch) => ({
              ...previous,
              tab: next === 'mine' ? 'mine' : undefined,
              cursor: undefined,
            }),
          })
        }
      >
        <Tabs.List aria-label="Submittals">
          <Tabs.Tab value="received">From your supplier</Tabs.Tab>
          <Tabs.Tab value="mine">My submittals</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="received" pt="md">
          {tab === 'received' && <ReceivedList cursor={search.cursor} />}
        </Tabs.Panel>
        <Tabs.Panel value="mine" pt="md">
          {tab === 'mine' && <MineList cursor={search.cursor} />}
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}

function useSetCursor() {
  const navigate = submittalsRoute.useNavigate();
  return (cursor: string | undefined) =>
    void navigate({ search: (previous: SubmittalsSearch) => ({ ...previous, cursor }) });
}

function ReceivedList({ cursor }: { cursor: string | undefined }) {
  const { nameOf } = useProjectNames();
  const setCursor = useSetCursor();
  const submittals = useQuery({
    ...actionQuery('submittals.listPortalSubmittals', { cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  return (
    <CursorTable<PortalSubmittal>
      label="Submittals from your supplier"
      query={submittals}
      cursor={cursor}
      onCursorChange={setCursor}
      empty={
        <EmptyState title="No submittals yet">
          When your supplier sends documents for your approval or review, they appear here for you to answer.
        </EmptyState>
      }
      columns={[
        {
          accessor: 'number',
          title: 'Number',
          render: (submittal) => (
            <Anchor size="sm" renderRoot={(props) => <Link {...props} to={`/submittals/${submittal.id}`} />}>
              {submittalNumberOf(submittal)}
            </Anchor>
          ),
        },
        { accessor: 'title', title: 'Title' },
        { accessor: 'projectId', title: 'Project', render: (submittal) => nameOf(submittal.projectId) },
        { accessor: 'purpose', title: 'Purpose', render: (submittal) => purposeWords[submittal.purpose] },
        {
          accessor: 'status',
          title: 'Status',
          render: (submittal) => (
            <Group gap={4} wrap="nowrap">
              <Badge size="sm" variant="light" color={portalStatusWords[submittal.status].color}>
                {portalStatusWords[submittal.status].label}
              </Badge>
              {submittal.overdue && (
                <Badge size="sm" variant="filled" color="red">
                  Overdue
                </Badge>
              )}
            </Group>
          ),
        },
        {
          accessor: 'expectedReturnDate',
          title: 'Answer by',
          render: (submittal) => formatDate(submittal.expectedReturnDate),
        },
      ]}
    />
  );
}

function MineList({ cursor }: { cursor: string | undefined }) {
  const { nameOf } = useProjectNames();
  const setCursor = useSetCursor();
  const incoming = useQuery({
    ...actionQuery('submittals.listPortalIncomingSubmittals', { cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  return (
    <CursorTable<PortalIncomingSubmittal>
      label="My submittals"
      query={incoming}
      cursor={cursor}
      onCursorChange={setCursor}
      empty={
        <EmptyState title="You have not sent a submittal yet">
          Send drawings, data sheets or a transmittal of your own to a project with “Send a submittal”.
        </EmptyState>
      }
      columns={[
        { accessor: 'transmittalNumber', title: 'Transmittal' },
        { accessor: 'projectId', title: 'Project', render: (submittal) => nameOf(submittal.projectId) },
        {
          accessor: 'files',
          title: 'Files',
          render: (submittal) => (
            <Text size="sm">
              {submittal.files.map((file) => file.fileName + (file.isLetter ? ' (letter)' : '')).join(', ')}
            </Text>
          ),
        },
        { accessor: 'receivedAt', title: 'Sent', render: (submittal) => formatDateTime(submittal.receivedAt) },
        {
          accessor: 'status',
          title: 'Status',
          render: (submittal) => (
            <Badge size="sm" variant="light" color={incomingStatusWords[submittal.status].color}>
              {incomingStatusWords[submittal.status].label}
            </Badge>
          ),
        },
      ]}
    />
  );
}
