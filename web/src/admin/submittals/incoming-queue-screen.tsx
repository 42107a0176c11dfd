import { Anchor, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import type { IncomingQueueEntry } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { Page } from '../../shared/layout/page.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { adminRootRoute } from '../root-route.tsx';

const queueSearchSchema = z.object({ cursor: z.string().optional().catch(undefined) });

/** `/incoming-submittals`: the projects whose customers sent submittals nobody has processed yet. */
export const incomingQueueRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'incoming-submittals',
  validateSearch: queueSearchSchema,
  component: IncomingQueueScreen,
});

function ProjectName({ projectId }: { projectId: string }) {
  const project = useQuery(actionQuery('directory.getProject', { projectId }));
  const label = project.data ? `${project.data.code} · ${project.data.name}` : project.error ? 'Unknown project' : '…';
  return (
    <Anchor size="sm" component={Link} to={`/projects/${projectId}/incoming-submittals`}>
      {label}
    </Anchor>
  );
}

function AccountName({ accountId }: { accountId: string }) {
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  return <>{account.data ? account.data.name : account.error ? 'Unknown account' : '…'}</>;
}

function IncomingQueueScreen() {
  const search = incomingQueueRoute.useSearch();
  const navigate = incomingQueueRoute.useNavigate();
  const queue = useQuery({
    ...actionQuery('submittals.listIncomingQueue', { cursor: search.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  return (
    <Page
      title="Customer submittals"
      description="Projects whose contacts sent submittals that nobody has processed yet, the longest-waiting first."
    >
      <CursorTable<IncomingQueueEntry>
        label="Projects with unprocessed submittals"
        query={queue}
        idAccessor="projectId"
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: { cursor } })}
        empty={
          <EmptyState title="Nothing waiting">
            Every submittal customers sent has been processed. New ones appear here as they arrive.
          </EmptyState>
        }
        columns={[
          {
            accessor: 'projectId',
            title: 'Project',
            render: (entry) => <ProjectName projectId={entry.projectId} />,
          },
          { accessor: 'accountId', title: 'Account', render: (entry) => <AccountName accountId={entry.accountId} /> },
          {
            accessor: 'unprocessedCount',
            title: 'Unprocessed',
            render: (entry) => <Text size="sm">{entry.unprocessedCount}</Text>,
          },
          {
            accessor: 'oldestReceivedAt',
            title: 'Waiting since',
            render: (entry) => formatDateTime(entry.oldestReceivedAt),
          },
          { accessor: 'latestReceivedAt', title: 'Latest', render: (entry) => formatDateTime(entry.latestReceivedAt) },
        ]}
      />
    </Page>
  );
}
