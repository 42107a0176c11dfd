import { Anchor, Button, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { IconListCheck, IconSend } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import { submittalStatusSchema, type Submittal, type SubmittalStatus } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { formatDate } from '../../shared/format/dates.ts';
import { ChoiceFilter } from '../../shared/forms/choice-filter.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { accountRoute } from '../accounts/account-layout.tsx';
import { allProjectsQuery } from '../contacts/account-directory.ts';
import { NewSubmittalDialog } from './new-submittal-dialog.tsx';
import { SubmittalStatusBadges, purposeWords, submittalNumberOf } from './submittal-parts.tsx';

const submittalsSearchSchema = z.object({
  projectId: z.uuid().optional().catch(undefined),
  status: submittalStatusSchema.optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type SubmittalsSearch = z.infer<typeof submittalsSearchSchema>;

/** `/accounts/$accountId/submittals`: what was sent to the account's projects, and their answers. */
export const accountSubmittalsRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: 'submittals',
  validateSearch: submittalsSearchSchema,
  component: AccountSubmittalsTab,
});

function AccountSubmittalsTab() {
  const { accountId } = accountRoute.useParams();
  const search = accountSubmittalsRoute.useSearch();
  const navigate = accountSubmittalsRoute.useNavigate();
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  const projects = useQuery(allProjectsQuery(accountId));
  const writable = useCan('submittals:write') && account.data !== undefined && !account.data.archivedAt;
  const [creating, setCreating] = useState(false);
  const projectById = new Map((projects.data?.items ?? []).map((project) => [project.id, project]));
  const setFilter = (change: Partial<SubmittalsSearch>) =>
    void navigate({ search: (previous: SubmittalsSearch) => ({ ...previous, ...change, cursor: undefined }) });
  const submittals = useQuery({
    ...actionQuery('submittals.listSubmittals', {
      accountId,
      projectId: search.projectId,
      status: search.status,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(search.projectId ?? search.status);

  return (
    <>
      <Group gap="sm" align="flex-end" wrap="wrap" justify="space-between">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <NativeSelect
            label="Project"
            value={search.projectId ?? ''}
            data={[
              { value: '', label: 'All projects' },
              ...(projects.data?.items ?? []).map((project) => ({
                value: project.id,
                label: `${project.code} · ${project.name}`,
              })),
            ]}
            onChange={(event) => setFilter({ projectId: event.currentTarget.value || undefined })}
          />
          <ChoiceFilter<SubmittalStatus | 'any'>
            label="Status"
            value={search.status ?? 'any'}
            options={[
              { value: 'any', label: 'Any' },
              { value: 'draft', label: 'Draft' },
              { value: 'sent', label: 'Sent' },
              { value: 'returned', label: 'Returned' },
              { value: 'closed', label: 'Closed' },
              { value: 'void', label: 'Void' },
            ]}
            onChange={(status) => setFilter({ status: status === 'any' ? undefined : status })}
          />
        </Group>
        {search.projectId && projectById.get(search.projectId) && (
          <Anchor size="sm" component={Link} to={`/projects/${search.projectId}/incoming-submittals`}>
            Files from customer of {projectById.get(search.projectId)?.code}
          </Anchor>
        )}
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconListCheck size={16} aria-hidden />}
            component={Link}
            to={`/accounts/${accountId}/submittals/return-codes`}
          >
            Return codes
          </Button>
          {writable && (
            <Button leftSection={<IconSend size={16} aria-hidden />} onClick={() => setCreating(true)}>
              New submittal
            </Button>
          )}
        </Group>
      </Group>
      <CursorTable<Submittal>
        label="Submittals"
        query={submittals}
        cursor={search.cursor}
        onCursorChange={(cursor) =>
          void navigate({ search: (previous: SubmittalsSearch) => ({ ...previous, cursor }) })
        }
        empty={
          <EmptyState title={filtered ? 'No submittal matches' : 'No submittals yet'}>
            {filtered
              ? 'Choose another project or status to see more submittals.'
              : writable
                ? 'Send documents to this customer for approval or review with “New submittal”.'
                : 'Submittals appear here once staff with write access create them.'}
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
          {
            accessor: 'title',
            title: 'Title',
            render: (submittal) => (
              <Stack gap={0}>
                <Text size="sm" fw={500}>
                  {submittal.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {purposeWords[submittal.purpose]}
                </Text>
              </Stack>
            ),
          },
          {
            accessor: 'projectId',
            title: 'Project',
            render: (submittal) => projectById.get(submittal.projectId)?.code ?? '…',
          },
          {
            accessor: 'status',
            title: 'Status',
            render: (submittal) => <SubmittalStatusBadges status={submittal.status} overdue={submittal.overdue} />,
          },
          {
            accessor: 'response',
            title: 'Answer',
            render: (submittal) =>
              submittal.response ? `${submittal.response.code} · ${submittal.response.label}` : '—',
          },
          { accessor: 'dueDate', title: 'Due', render: (submittal) => formatDate(submittal.dueDate) },
          {
            accessor: 'expectedReturnDate',
            title: 'Expected back',
            render: (submittal) => formatDate(submittal.expectedReturnDate),
          },
        ]}
      />
      {creating && <NewSubmittalDialog accountId={accountId} onClose={() => setCreating(false)} />}
    </>
  );
}
