import { Anchor, Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconDownload } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import type { DataTableColumn } from 'mantine-datatable';
import { DataTable } from 'mantine-datatable';
import type { ReactNode } from 'react';
import type { ActionResult } from '@portal/contracts';
import { callAction } from '../../shared/api/action-client.ts';
import { ApiError } from '../../shared/api/api-error.ts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState, ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { Page } from '../../shared/layout/page.tsx';
import { signedInRoute } from '../root-route.tsx';
import { useOwnerNames } from './owner-names.ts';
import { openDownloadLink } from '../../shared/files/download-file.ts';
import { formatFileSize } from '../../shared/files/upload-file.ts';

type PortalDocumentDetails = ActionResult<'documents.getPortalDocument'>;
type PortalVersion = PortalDocumentDetails['versions'][number];

/** `/documents/$documentId`: one document, its versions and their downloads. */
export const documentRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'documents/$documentId',
  component: DocumentScreen,
});

function BackToDocuments() {
  return (
    <Anchor component={Link} to="/documents" size="sm">
      <IconArrowLeft size={14} aria-hidden /> All documents
    </Anchor>
  );
}

function DocumentScreen() {
  const { documentId } = documentRoute.useParams();
  const document = useQuery(actionQuery('documents.getPortalDocument', { documentId }));
  if (document.isPending) {
    return (
      <Page title="Document">
        <LoadingState label="Loading the document" />
      </Page>
    );
  }
  if (document.error) {
    // A document outside the contact's reach answers 404 like one that does not exist: say so plainly.
    if (document.error instanceof ApiError && document.error.status === 404) {
      return (
        <Page title="Document not available">
          <EmptyState title="This document is not available" action={<BackToDocuments />}>
            It may have been removed, or it is not shared with you (any more). If you followed a link, ask the person
            who sent it.
            {document.error.requestId ? ` Request id: ${document.error.requestId}.` : ''}
          </EmptyState>
        </Page>
      );
    }
    return (
      <Page title="Document">
        <ErrorNotice
          error={document.error}
          title="The document could not be loaded"
          onRetry={() => void document.refetch()}
        />
      </Page>
    );
  }
  return <DocumentDetails document={document.data} />;
}

/** Rows of label and value, read by a screen reader as "File type, Drawing". */
function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Table variant="vertical" layout="fixed" withRowBorders={false} verticalSpacing={6} maw={760}>
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

function DocumentDetails({ document }: { document: PortalDocumentDetails }) {
  const { whereOf } = useOwnerNames();
  const download = useMutation<void, unknown, PortalVersion>({
    mutationFn: async (version) =>
      openDownloadLink(
        await callAction('documents.createPortalDownloadLink', { documentId: document.id, versionId: version.id }),
      ),
  });
  const columns: DataTableColumn<PortalVersion>[] = [
    { accessor: 'number', title: 'Version' },
    {
      accessor: 'fileName',
      title: 'File name',
      render: (version) => <span style={{ overflowWrap: 'anywhere' }}>{version.fileName}</span>,
    },
    { accessor: 'sizeBytes', title: 'Size', render: (version) => formatFileSize(version.sizeBytes) },
    { accessor: 'uploadedAt', title: 'Uploaded', render: (version) => formatDateTime(version.uploadedAt) },
    {
      accessor: 'download',
      title: 'Download',
      textAlign: 'right',
      render: (version) => (
        <Button
          size="compact-sm"
          variant="light"
          leftSection={<IconDownload size={14} aria-hidden />}
          aria-label={`Download version ${version.number}, ${version.fileName}`}
          loading={download.isPending && download.variables.id === version.id}
          onClick={() => download.mutate(version)}
        >
          Download
        </Button>
      ),
    },
  ];
  return (
    <Page title={document.title} description={<BackToDocuments />}>
      <Paper withBorder p="md" component="section" aria-labelledby="document-about">
        <Stack gap="sm">
          <Title order={2} size="h4" id="document-about">
            About this document
          </Title>
          {document.description && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {document.description}
            </Text>
          )}
          <Facts
            rows={[
              ['Where', whereOf(document.owner)],
              ['File type', document.fileType.name],
              ['Updated', formatDateTime(document.updatedAt)],
            ]}
          />
        </Stack>
      </Paper>
      <Stack gap="xs" component="section" aria-labelledby="document-versions">
        <Title order={2} size="h4" id="document-versions">
          Versions
        </Title>
        {download.error ? <ErrorNotice error={download.error} title="The download did not start" /> : null}
        <DataTable<PortalVersion>
          aria-label="Versions"
          withTableBorder
          borderRadius="sm"
          records={document.versions}
          columns={columns}
          idAccessor="id"
        />
      </Stack>
    </Page>
  );
}
