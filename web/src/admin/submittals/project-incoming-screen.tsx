import { Anchor, Badge, Breadcrumbs, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { incomingStatusSchema, type IncomingSubmittal } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { notifyFailed, notifySaved } from '../../shared/feedback/notify.tsx';
import { EmptyState, ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { useDownloadVersion } from '../../shared/files/download-file.ts';
import { formatFileSize } from '../../shared/files/upload-file.ts';
import { formatDateTime } from '../../shared/format/dates.ts';
import { ChoiceFilter } from '../../shared/forms/choice-filter.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { rowActionsColumn } from '../../shared/tables/columns.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { allContactsQuery, contactNameOf } from '../contacts/account-directory.ts';
import { adminRootRoute } from '../root-route.tsx';
import { incomingChangeInvalidates } from './incoming-submittals.ts';

const incomingSearchSchema = z.object({
  status: z
    .union([incomingStatusSchema, z.literal('any')])
    .optional()
    .catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type IncomingSearch = z.infer<typeof incomingSearchSchema>;
type StatusChoice = NonNullable<IncomingSearch['status']>;

/** `/projects/$projectId/incoming-submittals`: "Files from customer", what the project's contacts sent. */
export const projectIncomingRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'projects/$projectId/incoming-submittals',
  validateSearch: incomingSearchSchema,
  component: ProjectIncomingScreen,
});

function ProjectIncomingScreen() {
  const { projectId } = projectIncomingRoute.useParams();
  const search = projectIncomingRoute.useSearch();
  const navigate = projectIncomingRoute.useNavigate();
  const project = useQuery(actionQuery('directory.getProject', { projectId }));
  const accountId = project.data?.accountId ?? '';
  const account = useQuery({ ...actionQuery('directory.getAccount', { accountId }), enabled: Boolean(accountId) });
  const contacts = useQuery({ ...allContactsQuery(accountId), enabled: Boolean(accountId) });
  const contactById = new Map((contacts.data?.items ?? []).map((contact) => [contact.id, contact]));
  const writable = useCan('submittals:write');
  // Unprocessed first: that is what staff come here for.
  const statusChoice: StatusChoice = search.status ?? 'unprocessed';
  const incoming = useQuery({
    ...actionQuery('submittals.listIncomingSubmittals', {
      projectId,
      status: statusChoice === 'any' ? undefined : statusChoice,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });
  const download = useDownloadVersion('documents.createStaffDownloadLink', {
    invalidates: ['documents.listDownloads'],
  });
  const markProcessed = useActionMutation('submittals.markIncomingProcessed', {
    invalidates: incomingChangeInvalidates,
    onSuccess: (processed) => notifySaved(`${processed.transmittalNumber} marked processed`),
    onError: (error) => notifyFailed('It was not marked processed', error),
  });
  const title = project.data ? `Files from customer: ${project.data.code}` : 'Files from customer';
  useDocumentTitle(title);
  if (project.isPending) return <LoadingState label="Loading the project" />;
  if (project.error) return <ErrorNotice error={project.error} onRetry={() => void project.refetch()} />;

  return (
    <Stack gap="md" maw={1200}>
      <Breadcrumbs separatorMargin={6} style={{ flexWrap: 'wrap' }}>
        <Anchor component={Link} to="/incoming-submittals" size="sm">
          Customer submittals
        </Anchor>
        <Anchor component={Link} to={`/accounts/${accountId}/projects`} size="sm">
          {account.data ? `${account.data.name}: projects` : 'Account projects'}
        </Anchor>
        <Text size="sm">{project.data.code}</Text>
      </Breadcrumbs>
      <Stack gap={2}>
        <Title order={1} size="h2">
          Files from customer
        </Title>
        <Text size="sm" c="dimmed">
          Project {project.data.code} · {project.data.name}
        </Text>
      </Stack>
      <ChoiceFilter<StatusChoice>
        label="Status"
        value={statusChoice}
        options={[
          { value: 'unprocessed', label: 'Unprocessed' },
          { value: 'processed', label: 'Processed' },
          { value: 'any', label: 'Any' },
        ]}
        onChange={(status) => void navigate({ search: { status, cursor: undefined } })}
      />
      <CursorTable<IncomingSubmittal>
        label="Files from customer"
        query={incoming}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: IncomingSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title={statusChoice === 'unprocessed' ? 'Nothing waiting' : 'No submittals from the customer'}>
            {statusChoice === 'unprocessed'
              ? 'Every submittal the customer sent to this project has been processed.'
              : 'Submittals the project’s contacts send in the portal appear here.'}
          </EmptyState>
        }
        columns={[
          {
            accessor: 'transmittalNumber',
            title: 'Transmittal',
            render: (incomingSubmittal) => (
              <Stack gap={0}>
                <Text size="sm" fw={500}>
                  {incomingSubmittal.transmittalNumber}
                </Text>
                {incomingSubmittal.note && (
                  <Text size="xs" c="dimmed" lineClamp={3} style={{ whiteSpace: 'pre-wrap' }}>
                    {incomingSubmittal.note}
                  </Text>
                )}
              </Stack>
            ),
          },
          {
            accessor: 'contactId',
            title: 'From',
            render: (incomingSubmittal) => {
              const contact = contactById.get(incomingSubmittal.contactId);
              return contact ? contactNameOf(contact) : 'a contact';
            },
          },
          {
            accessor: 'receivedAt',
            title: 'Received',
            render: (incomingSubmittal) => formatDateTime(incomingSubmittal.receivedAt),
          },
          {
            accessor: 'files',
            title: 'Files',
            render: (incomingSubmittal) => (
              <Stack gap={4}>
                {incomingSubmittal.files.map((file) => (
                  <Group key={file.versionId} gap="xs" wrap="nowrap">
                    <Text size="sm">
                      {file.fileName}{' '}
                      <Text span size="xs" c="dimmed">
                        ({formatFileSize(file.sizeBytes)})
                      </Text>
                    </Text>
                    {file.isLetter && (
                      <Badge size="xs" variant="light">
                        Letter
                      </Badge>
                    )}
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      leftSection={<IconDownload size={12} aria-hidden />}
                      aria-label={`Download ${file.fileName}`}
                      loading={download.isPending && download.variables.versionId === file.versionId}
                      onClick={() =>
                        download.mutate(
                          { documentId: file.documentId, versionId: file.versionId },
                          { onError: (error) => notifyFailed(`${file.fileName} was not downloaded`, error) },
                        )
                      }
                    >
                      Download
                    </Button>
                  </Group>
                ))}
              </Stack>
            ),
          },
          {
            accessor: 'status',
            title: 'Status',
            render: (incomingSubmittal) =>
              incomingSubmittal.status === 'processed' ? (
                <Stack gap={0}>
                  <Badge size="sm" variant="light" color="green">
                    Processed
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(incomingSubmittal.processedAt)}
                  </Text>
                </Stack>
              ) : (
                <Badge size="sm" variant="light" color="orange">
                  Unprocessed
                </Badge>
              ),
          },
          ...(writable
            ? [
                rowActionsColumn<IncomingSubmittal>([
                  {
                    label: 'Mark processed',
                    name: (incomingSubmittal) => `Mark processed ${incomingSubmittal.transmittalNumber}`,
                    onClick: (incomingSubmittal) => markProcessed.mutate({ incomingSubmittalId: incomingSubmittal.id }),
                    when: (incomingSubmittal) => incomingSubmittal.status === 'unprocessed',
                  },
                ]),
              ]
            : []),
        ]}
      />
    </Stack>
  );
}
