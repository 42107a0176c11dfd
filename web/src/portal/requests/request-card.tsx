import { Alert, Badge, Button, FileButton, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useId } from '@mantine/hooks';
import { IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import type { ActionName, PortalDocumentRequest } from '@portal/contracts';
import { callAction } from '../../shared/api/action-client.ts';
import { actionQuery } from '../../shared/api/queries.ts';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { LabelledProgress } from '../../shared/feedback/progress-bar.tsx';
import { ErrorNotice } from '../../shared/feedback/states.tsx';
import { formatDate, formatDateTime } from '../../shared/format/dates.ts';
import { useOwnerNames } from '../documents/owner-names.ts';
import {
  acceptAttributeOf,
  contentTypesInWords,
  fileProblemOf,
  formatFileSize,
  uploadFile,
} from '../../shared/files/upload-file.ts';

/** How often a file still being checked (the malware scan) is asked about. */
const checkingIntervalMs = 3000;

/** The views an answered request changes: both request lists (and the badge), the request, the documents. */
const changedByUpload: readonly ActionName[] = [
  'documents.listPortalDocumentRequests',
  'documents.getPortalDocumentRequest',
  'documents.listPortalDocuments',
];

/** Today as `YYYY-MM-DD` in the person's own time zone, to compare with a due date. */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
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

/** One document request: what is asked, by when, which files fit, and (while open) its upload. */
export function RequestCard({ request }: { request: PortalDocumentRequest }) {
  const headingId = useId();
  const { whereOf } = useOwnerNames();
  const open = request.status === 'open';
  const overdue = open && request.dueDate !== null && request.dueDate < today();
  const version = request.fulfilledVersion;
  const rows: [string, ReactNode][] = [
    ['Where', whereOf(request.owner)],
    [
      'Due',
      request.dueDate ? (
        <Group gap="xs" component="span">
          <Text span size="sm" c={overdue ? 'red.8' : undefined} fw={overdue ? 600 : undefined}>
            {formatDate(request.dueDate)}
          </Text>
          {overdue && (
            <Badge color="red" variant="filled" size="sm">
              Overdue
            </Badge>
          )}
        </Group>
      ) : (
        'No due date'
      ),
    ],
    ['File type', request.fileType.name],
    ['Accepted files', contentTypesInWords(request.fileType.allowedContentTypes)],
    ['Size limit', `Up to ${formatFileSize(request.fileType.maxSizeBytes)}`],
  ];
  if (version) {
    rows.push(['Uploaded file', `${version.fileName} (${formatFileSize(version.sizeBytes)})`]);
  }
  if (request.fulfilledAt) rows.push(['Fulfilled', formatDateTime(request.fulfilledAt)]);
  return (
    <Paper
      withBorder
      p="md"
      component="article"
      aria-labelledby={headingId}
      style={overdue ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <Title order={2} size="h4" id={headingId}>
            {request.title}
          </Title>
          <Badge color={open ? (overdue ? 'red' : 'blue') : 'green'} variant="light">
            {open ? 'Open' : 'Fulfilled'}
          </Badge>
        </Group>
        {request.instructions && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {request.instructions}
          </Text>
        )}
        <Facts rows={rows} />
        {open && <RequestUpload request={request} />}
      </Stack>
    </Paper>
  );
}

type UploadState =
  | { phase: 'idle' }
  | { phase: 'refused'; message: string }
  | { phase: 'sending'; fileName: string; percent: number }
  | { phase: 'checking'; fileName: string };

/** "Upload file" → the file chooser → checks in the browser → start, PUT with progress, finalize. */
function RequestUpload({ request }: { request: PortalDocumentRequest }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const refresh = () =>
    Promise.all(changedByUpload.map((action) => queryClient.invalidateQueries({ queryKey: [action] })));

  const upload = useMutation({
    mutationFn: (file: File) =>
      uploadFile({
        file,
        limits: request.fileType,
        start: (upload) => callAction('documents.startRequestUpload', { requestId: request.id, ...upload }),
        finalize: (uploadId) => callAction('documents.finalizeRequestUpload', { requestId: request.id, uploadId }),
        onProgress: ({ percent }) => setState({ phase: 'sending', fileName: file.name, percent }),
      }),
    onSuccess: async (answered, file) => {
      if (answered.status === 'fulfilled') {
        notifySaved(`“${answered.fulfilledVersion?.fileName ?? file.name}” sent for “${request.title}”.`);
        setState({ phase: 'idle' });
        await refresh();
      } else {
        // The scan has not passed yet: the card asks again until the request is fulfilled.
        setState({ phase: 'checking', fileName: file.name });
      }
    },
    onError: () => setState({ phase: 'idle' }),
  });

  const checking = useQuery({
    ...actionQuery('documents.getPortalDocumentRequest', { requestId: request.id }),
    enabled: state.phase === 'checking',
    refetchInterval: checkingIntervalMs,
  });
  const settled = state.phase === 'checking' && checking.data !== undefined && checking.data.status !== 'open';
  useEffect(() => {
    // Once, when the check settles.
    if (!settled) return;
    // Fulfilled (or closed by staff meanwhile): the lists show where it went.
    if (checking.data?.status === 'fulfilled') notifySaved(`Your file was checked and sent for “${request.title}”.`);
    setState({ phase: 'idle' });
    void refresh();
  }, [settled]);

  const choose = (file: File | null) => {
    if (!file) return;
    upload.reset();
    const problem = fileProblemOf(file, request.fileType, 'this request');
    if (problem) {
      setState({ phase: 'refused', message: problem });
      return;
    }
    setState({ phase: 'sending', fileName: file.name, percent: 0 });
    upload.mutate(file);
  };
  const busy = state.phase === 'sending' || state.phase === 'checking';

  return (
    <Stack gap="xs">
      <Group>
        <FileButton onChange={choose} accept={acceptAttributeOf(request.fileType.allowedContentTypes)} disabled={busy}>
          {(props) => (
            <Button
              {...props}
              leftSection={<IconUpload size={16} aria-hidden />}
              aria-label={`Upload file for ${request.title}`}
              loading={busy}
            >
              Upload file
            </Button>
          )}
        </FileButton>
      </Group>
      {state.phase === 'sending' && (
        <LabelledProgress
          label="Upload progress"
          percent={state.percent}
          valueText={`${state.percent}% of ${state.fileName}`}
          status={`${state.fileName}: ${state.percent}%`}
          moving
        />
      )}
      {state.phase === 'checking' && (
        <Alert color="blue" variant="light" title="We are checking your file" role="status">
          “{state.fileName}” has arrived and is being checked for viruses. This request moves to Fulfilled as soon as
          the check has passed; you can leave this page.
        </Alert>
      )}
      {state.phase === 'refused' && (
        <Alert color="red" variant="light" title="This file cannot be sent" role="alert">
          {state.message}
        </Alert>
      )}
      {upload.error ? <ErrorNotice error={upload.error} title="The file was not sent" /> : null}
    </Stack>
  );
}
