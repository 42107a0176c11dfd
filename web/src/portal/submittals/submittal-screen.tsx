import {
  Alert,
  Anchor,
  Badge,
  Button,
  CloseButton,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconDownload } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { useState, type ReactNode } from 'react';
import type { ActionResult, SubmittalFile } from '@portal/contracts';
import { callAction } from '../../shared/api/action-client.ts';
import { ApiError } from '../../shared/api/api-error.ts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { EmptyState, ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { openDownloadLink } from '../../shared/files/download-file.ts';
import { formatFileSize } from '../../shared/files/upload-file.ts';
import { formatDate, formatDateTime } from '../../shared/format/dates.ts';
import { Page } from '../../shared/layout/page.tsx';
import { signedInRoute } from '../root-route.tsx';
import { ProjectFileUpload, type ProjectFile } from './project-file-upload.tsx';
import { useProjectNames } from './submittals-screen.tsx';
import { portalStatusWords, purposeWords, submittalNumberOf } from './submittal-words.ts';

type PortalSubmittalDetails = ActionResult<'submittals.getPortalSubmittal'>;

/** `/submittals/$submittalId`: one submittal, its files, and the contact's answer (or the form to give it). */
export const submittalRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'submittals/$submittalId',
  component: SubmittalScreen,
});

function BackToSubmittals() {
  return (
    <Anchor component={Link} to="/submittals" size="sm">
      <IconArrowLeft size={14} aria-hidden /> All submittals
    </Anchor>
  );
}

function SubmittalScreen() {
  const { submittalId } = submittalRoute.useParams();
  const submittal = useQuery(actionQuery('submittals.getPortalSubmittal', { submittalId }));
  if (submittal.isPending) {
    return (
      <Page title="Submittal">
        <LoadingState label="Loading the submittal" />
      </Page>
    );
  }
  if (submittal.error) {
    if (submittal.error instanceof ApiError && submittal.error.status === 404) {
      return (
        <Page title="Submittal not available">
          <EmptyState title="This submittal is not available" action={<BackToSubmittals />}>
            It may have been withdrawn, or its project is not among yours.
            {submittal.error.requestId ? ` Request id: ${submittal.error.requestId}.` : ''}
          </EmptyState>
        </Page>
      );
    }
    return (
      <Page title="Submittal">
        <ErrorNotice
          error={submittal.error}
          title="The submittal could not be loaded"
          onRetry={() => void submittal.refetch()}
        />
      </Page>
    );
  }
  return <SubmittalDetails submittal={submittal.data} />;
}

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Table variant="vertical" layout="fixed" withRowBorders={false} verticalSpacing={4} maw={760}>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={{ base: 120, xs: 180 }} scope="row">
              {label}
            </Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function SubmittalDetails({ submittal }: { submittal: PortalSubmittalDetails }) {
  const { nameOf } = useProjectNames();
  const status = portalStatusWords[submittal.status];
  return (
    <Page title={`${submittalNumberOf(submittal)}: ${submittal.title}`} description={<BackToSubmittals />}>
      <Paper withBorder p="md" component="section" aria-labelledby="submittal-about">
        <Stack gap="sm">
          <Group gap="xs">
            <Title order={2} size="h4" id="submittal-about">
              About this submittal
            </Title>
            <Badge variant="light" color={status.color}>
              {status.label}
            </Badge>
            {submittal.overdue && (
              <Badge variant="filled" color="red">
                Overdue
              </Badge>
            )}
          </Group>
          {submittal.message && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {submittal.message}
            </Text>
          )}
          <Facts
            rows={[
              ['Project', nameOf(submittal.projectId)],
              ['Purpose', purposeWords[submittal.purpose]],
              ['Sent', formatDateTime(submittal.sentAt)],
              ['Due', formatDate(submittal.dueDate)],
              ['Answer by', formatDate(submittal.expectedReturnDate)],
            ]}
          />
        </Stack>
      </Paper>
      <SubmittalFiles submittalId={submittal.id} label="Files" files={submittal.files} />
      {submittal.response ? (
        <Paper withBorder p="md" component="section" aria-labelledby="submittal-answer">
          <Stack gap="sm">
            <Title order={2} size="h4" id="submittal-answer">
              Your answer
            </Title>
            <Facts
              rows={[
                ['Return code', `${submittal.response.code} · ${submittal.response.label}`],
                ['Answered', formatDateTime(submittal.response.respondedAt)],
                ['Comments', submittal.response.comments ?? '—'],
              ]}
            />
            {submittal.response.markupFiles.length > 0 && (
              <SubmittalFiles
                submittalId={submittal.id}
                label="Marked-up files"
                files={submittal.response.markupFiles}
              />
            )}
          </Stack>
        </Paper>
      ) : submittal.status === 'sent' ? (
        <RespondForm submittal={submittal} />
      ) : null}
    </Page>
  );
}

function SubmittalFiles({ submittalId, label, files }: { submittalId: string; label: string; files: SubmittalFile[] }) {
  const download = useMutation<void, unknown, SubmittalFile>({
    mutationFn: async (file) =>
      openDownloadLink(
        await callAction('submittals.createPortalSubmittalDownloadLink', { submittalId, versionId: file.versionId }),
      ),
  });
  return (
    <Stack gap="xs" component="section" aria-label={label}>
      <Title order={2} size="h4">
        {label}
      </Title>
      {download.error ? <ErrorNotice error={download.error} title="The download did not start" /> : null}
      <Table aria-label={label} withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>File name</Table.Th>
            <Table.Th>Size</Table.Th>
            <Table.Th ta="right">Download</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {files.map((file) => (
            <Table.Tr key={file.versionId}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{file.fileName}</Table.Td>
              <Table.Td>{formatFileSize(file.sizeBytes)}</Table.Td>
              <Table.Td ta="right">
                <Button
                  size="compact-sm"
                  variant="light"
                  leftSection={<IconDownload size={14} aria-hidden />}
                  aria-label={`Download ${file.fileName}`}
                  loading={download.isPending && download.variables.versionId === file.versionId}
                  onClick={() => download.mutate(file)}
                >
                  Download
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** "Respond": a return code of the account's list, comments, and marked-up files uploaded to the project. */
function RespondForm({ submittal }: { submittal: PortalSubmittalDetails }) {
  const [code, setCode] = useState('');
  const [comments, setComments] = useState('');
  const [markups, setMarkups] = useState<ProjectFile[]>([]);
  const [codeError, setCodeError] = useState<string | null>(null);
  const respond = useActionMutation('submittals.respondToSubmittal', {
    invalidates: ['submittals.getPortalSubmittal', 'submittals.listPortalSubmittals'],
    onSuccess: (answered) =>
      notifySaved(`Your answer to ${submittalNumberOf(answered)} was sent: ${answered.response?.label ?? ''}`),
  });
  const pending = markups.filter((file) => file.scanState !== 'clean');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="submittal-respond">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!code) {
            setCodeError('Choose a return code');
            return;
          }
          setCodeError(null);
          respond.mutate({
            submittalId: submittal.id,
            code,
            comments: comments.trim() || null,
            markupVersionIds: markups.filter((file) => file.scanState === 'clean').map((file) => file.versionId),
          });
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4" id="submittal-respond">
            Respond
          </Title>
          <NativeSelect
            label="Return code"
            required
            value={code}
            error={codeError}
            onChange={(event) => setCode(event.currentTarget.value)}
            data={[
              { value: '', label: 'Choose a return code' },
              ...submittal.returnCodes.map((returnCode) => ({
                value: returnCode.code,
                label: `${returnCode.code} · ${returnCode.label}`,
              })),
            ]}
          />
          <Textarea
            label="Comments"
            autosize
            minRows={3}
            maxRows={10}
            maxLength={4000}
            value={comments}
            onChange={(event) => setComments(event.currentTarget.value)}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Marked-up files (optional)
            </Text>
            {markups.map((file) => (
              <Group key={file.versionId} gap="xs">
                <Text size="sm">
                  {file.fileName} ({formatFileSize(file.sizeBytes)})
                </Text>
                <CloseButton
                  size="sm"
                  aria-label={`Remove ${file.fileName}`}
                  onClick={() => setMarkups((files) => files.filter((other) => other.versionId !== file.versionId))}
                />
              </Group>
            ))}
            <ProjectFileUpload
              projectId={submittal.projectId}
              label="Add a marked-up file"
              onUploaded={(file) => setMarkups((files) => [...files, file])}
            />
          </Stack>
          {pending.length > 0 && (
            <Alert color="orange" variant="light" title="Some files are still being checked" role="status">
              {pending.map((file) => file.fileName).join(', ')} could not be checked for viruses yet and will not be
              sent with this answer.
            </Alert>
          )}
          {respond.error ? <ErrorNotice error={respond.error} title="Your answer was not sent" /> : null}
          <Group justify="flex-end">
            <Button type="submit" loading={respond.isPending}>
              Send answer
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
