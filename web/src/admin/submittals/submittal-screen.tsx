import {
  Anchor,
  Breadcrumbs,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconDownload, IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, createRoute, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { Submittal, SubmittalFile } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { notifyFailed, notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { useDownloadVersion } from '../../shared/files/download-file.ts';
import { formatFileSize } from '../../shared/files/upload-file.ts';
import { formatDate, formatDateTime } from '../../shared/format/dates.ts';
import { DetailField } from '../../shared/layout/detail-field.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { contactNameOf } from '../contacts/account-directory.ts';
import { adminRootRoute } from '../root-route.tsx';
import { EditSubmittalDialog } from './new-submittal-dialog.tsx';
import {
  SubmittalStatusBadges,
  purposeWords,
  submittalChangeInvalidates,
  submittalNumberOf,
} from './submittal-parts.tsx';

/** `/submittals/$submittalId`: one submittal, its files, the customer's answer and what may be done with it. */
export const submittalRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'submittals/$submittalId',
  component: SubmittalScreen,
});

type StatusAction = 'send' | 'void' | 'close';

function SubmittalScreen() {
  const { submittalId } = submittalRoute.useParams();
  const submittal = useQuery(actionQuery('submittals.getSubmittal', { submittalId }));
  const accountId = submittal.data?.accountId;
  const projectId = submittal.data?.projectId;
  const account = useQuery({
    ...actionQuery('directory.getAccount', { accountId: accountId ?? '' }),
    enabled: Boolean(accountId),
  });
  const project = useQuery({
    ...actionQuery('directory.getProject', { projectId: projectId ?? '' }),
    enabled: Boolean(projectId),
  });
  useDocumentTitle(submittal.data ? `${submittalNumberOf(submittal.data)} · Submittals` : 'Submittal');
  if (submittal.isPending) return <LoadingState label="Loading the submittal" />;
  if (submittal.error) return <ErrorNotice error={submittal.error} onRetry={() => void submittal.refetch()} />;
  const record = submittal.data;
  return (
    <Stack gap="md" maw={1200}>
      <Breadcrumbs separatorMargin={6} style={{ flexWrap: 'wrap' }}>
        <Anchor component={Link} to="/accounts" size="sm">
          Accounts
        </Anchor>
        <Anchor component={Link} to={`/accounts/${record.accountId}/submittals`} size="sm">
          {account.data ? `${account.data.name}: submittals` : 'Account submittals'}
        </Anchor>
        <Text size="sm">{submittalNumberOf(record)}</Text>
      </Breadcrumbs>
      <Group gap="sm" align="center" justify="space-between" wrap="wrap">
        <Group gap="sm" align="center">
          <Title order={1} size="h2">
            {submittalNumberOf(record)}: {record.title}
          </Title>
          <SubmittalStatusBadges status={record.status} overdue={record.overdue} />
        </Group>
        <StatusActions submittal={record} />
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid component="dl" cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" m={0}>
          <DetailField label="Project">
            {project.data ? (
              <Anchor size="sm" component={Link} to={`/projects/${record.projectId}/incoming-submittals`}>
                {project.data.code} · {project.data.name}
              </Anchor>
            ) : (
              '…'
            )}
          </DetailField>
          <DetailField label="Purpose">{purposeWords[record.purpose]}</DetailField>
          <DetailField label="Revision">{record.revision}</DetailField>
          <DetailField label="Due">{formatDate(record.dueDate)}</DetailField>
          <DetailField label="Expected return">{formatDate(record.expectedReturnDate)}</DetailField>
          <DetailField label="E-mail when sent">{record.notifyByEmail ? 'Yes' : 'No'}</DetailField>
          <DetailField label="Sent">{formatDateTime(record.sentAt)}</DetailField>
          <DetailField label="Returned">{formatDateTime(record.returnedAt)}</DetailField>
          <DetailField label="Closed or voided">{formatDateTime(record.closedAt ?? record.voidedAt)}</DetailField>
        </SimpleGrid>
        {record.message && (
          <Text size="sm" mt="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {record.message}
          </Text>
        )}
      </Paper>
      <RevisionLinks submittal={record} />
      <FilesTable label="Files" files={record.files} />
      <ResponseSection submittal={record} />
    </Stack>
  );
}

function RevisionLinks({ submittal }: { submittal: Submittal }) {
  if (!submittal.previousRevisionId && !submittal.nextRevisionId) return null;
  return (
    <nav aria-label="Revisions">
      <Group gap="md">
        {submittal.previousRevisionId && (
          <Anchor size="sm" component={Link} to={`/submittals/${submittal.previousRevisionId}`}>
            Previous revision ({submittal.number} rev {submittal.revision - 1})
          </Anchor>
        )}
        {submittal.nextRevisionId && (
          <Anchor size="sm" component={Link} to={`/submittals/${submittal.nextRevisionId}`}>
            Next revision ({submittal.number} rev {submittal.revision + 1})
          </Anchor>
        )}
      </Group>
    </nav>
  );
}

/** A submittal's files (or an answer's marked-up files), each with its Download. */
function FilesTable({ label, files }: { label: string; files: SubmittalFile[] }) {
  const download = useDownloadVersion('documents.createStaffDownloadLink', {
    invalidates: ['documents.listDownloads'],
  });
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {label}
      </Title>
      {files.length === 0 ? (
        <Text size="sm" c="dimmed">
          No files.
        </Text>
      ) : (
        <Table aria-label={label} withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {files.map((file) => (
              <Table.Tr key={file.versionId}>
                <Table.Td>
                  <Anchor size="sm" component={Link} to={`/documents/${file.documentId}`}>
                    {file.fileName}
                  </Anchor>
                </Table.Td>
                <Table.Td>{formatFileSize(file.sizeBytes)}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    leftSection={<IconDownload size={14} aria-hidden />}
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
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function ResponseSection({ submittal }: { submittal: Submittal }) {
  const response = submittal.response;
  const contact = useQuery({
    ...actionQuery('directory.getContact', { contactId: response?.contactId ?? '' }),
    enabled: Boolean(response),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="customer-response">
      <Stack gap="sm">
        <Title order={2} size="h4" id="customer-response">
          The customer’s answer
        </Title>
        {!response ? (
          <Text size="sm" c="dimmed">
            {submittal.status === 'sent'
              ? 'Not answered yet.'
              : submittal.status === 'draft'
                ? 'The customer can answer once the submittal is sent.'
                : 'No answer was given.'}
          </Text>
        ) : (
          <>
            <SimpleGrid component="dl" cols={{ base: 1, xs: 3 }} spacing="sm" m={0}>
              <DetailField label="Return code">
                {response.code} · {response.label}
              </DetailField>
              <DetailField label="Answered by">{contact.data ? contactNameOf(contact.data) : '…'}</DetailField>
              <DetailField label="Answered">{formatDateTime(response.respondedAt)}</DetailField>
            </SimpleGrid>
            {response.comments && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {response.comments}
              </Text>
            )}
            {response.markupFiles.length > 0 && <FilesTable label="Marked-up files" files={response.markupFiles} />}
          </>
        )}
      </Stack>
    </Paper>
  );
}

const actionWords: Record<StatusAction, { title: string; confirm: string; body: string; done: string }> = {
  send: {
    title: 'Send',
    confirm: 'Send submittal',
    body: 'The submittal appears in the portal for the contacts who see its project (and by e-mail when chosen). It can no longer be edited.',
    done: 'sent',
  },
  void: {
    title: 'Void',
    confirm: 'Void submittal',
    body: 'A voided submittal leaves the portal and cannot be answered or sent again.',
    done: 'voided',
  },
  close: {
    title: 'Close',
    confirm: 'Close submittal',
    body: 'Nothing more is expected of a closed submittal; the customer can no longer answer it.',
    done: 'closed',
  },
};

/** Send, Void, Close and "Create next revision", each only where the status allows it. */
function StatusActions({ submittal }: { submittal: Submittal }) {
  const writable = useCan('submittals:write');
  const navigate = useNavigate();
  const [asking, setAsking] = useState<StatusAction | null>(null);
  const [editing, setEditing] = useState(false);
  const options = { invalidates: submittalChangeInvalidates };
  const send = useActionMutation('submittals.sendSubmittal', options);
  const voidIt = useActionMutation('submittals.voidSubmittal', options);
  const close = useActionMutation('submittals.closeSubmittal', options);
  const revise = useActionMutation('submittals.createNextRevision', {
    invalidates: submittalChangeInvalidates,
    onSuccess: (next) => {
      notifySaved(`Revision ${next.revision} of ${next.number} created as a draft`);
      void navigate({ to: `/submittals/${next.id}` });
    },
    onError: (error) => notifyFailed('The next revision was not created', error),
  });
  if (!writable) return null;
  const mutations = { send, void: voidIt, close };
  const allowed: StatusAction[] = [
    ...(submittal.status === 'draft' ? (['send'] as const) : []),
    ...(submittal.status === 'sent' || submittal.status === 'returned' ? (['close'] as const) : []),
    ...(['draft', 'sent', 'returned'].includes(submittal.status) ? (['void'] as const) : []),
  ];
  const canRevise =
    submittal.status === 'returned' &&
    submittal.response !== null &&
    !submittal.response.stageComplete &&
    submittal.nextRevisionId === null;
  const current = asking ? mutations[asking] : null;
  return (
    <Group gap="xs">
      {/* Only a draft can change: what was sent is what the customer answers. */}
      {submittal.status === 'draft' && (
        <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing(true)}>
          Edit
        </Button>
      )}
      {editing && <EditSubmittalDialog submittal={submittal} onClose={() => setEditing(false)} />}
      {canRevise && (
        <Button loading={revise.isPending} onClick={() => revise.mutate({ submittalId: submittal.id })}>
          Create next revision
        </Button>
      )}
      {allowed.map((action) => (
        <Button
          key={action}
          variant={action === 'send' ? 'filled' : 'default'}
          color={action === 'void' ? 'red' : undefined}
          onClick={() => {
            mutations[action].reset();
            setAsking(action);
          }}
        >
          {actionWords[action].title}
        </Button>
      ))}
      {asking && current && (
        <ConfirmDialog
          danger={asking === 'void'}
          title={`${actionWords[asking].title} ${submittalNumberOf(submittal)}?`}
          confirmLabel={actionWords[asking].confirm}
          pending={current.isPending}
          error={current.error}
          onConfirm={() =>
            current.mutate(
              { submittalId: submittal.id },
              {
                onSuccess: () => {
                  notifySaved(`${submittalNumberOf(submittal)} ${actionWords[asking].done}`);
                  setAsking(null);
                },
              },
            )
          }
          onClose={() => setAsking(null)}
        >
          {actionWords[asking].body}
        </ConfirmDialog>
      )}
    </Group>
  );
}
