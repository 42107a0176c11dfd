import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconArchive, IconDownload, IconPencil, IconUpload } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import type { Document, DocumentVersion } from '@portal/contracts';
import { useSession } from '../../shared/boot.tsx';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { notifyFailed, notifySaved } from '../../shared/feedback/notify.tsx';
import { EmptyState, ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { useDownloadVersion } from '../../shared/files/download-file.ts';
import { contentTypeNames, formatFileSize } from '../../shared/files/upload-file.ts';
import { formatDateTime } from '../../shared/format/dates.ts';
import { DetailField } from '../../shared/layout/detail-field.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { useFileTypes } from '../file-types/file-type-queries.ts';
import { OwnerName, useAccountOwners } from './document-owners.tsx';
import { documentRoute, useDocument } from './document-layout.tsx';
import { EditDocumentDialog } from './edit-document-dialog.tsx';
import { sharingHelp, sharingLabels, useContactOptions } from './sharing-fields.tsx';
import { UploadVersionDialog } from './upload-version-dialog.tsx';
import { documentChangeInvalidates } from './use-version-upload.ts';
import { ScanStateBadge, scanPollMs, uploaderOf } from './version-parts.tsx';

const versionsSearchSchema = z.object({ cursor: z.string().optional().catch(undefined) });
type VersionsSearch = z.infer<typeof versionsSearchSchema>;

/** `/documents/$documentId`: what the document is, who may see it, and its versions. */
export const documentVersionsRoute = createRoute({
  getParentRoute: () => documentRoute,
  path: '/',
  validateSearch: versionsSearchSchema,
  component: DocumentVersionsTab,
});

function DocumentVersionsTab() {
  const { documentId } = documentRoute.useParams();
  const document = useDocument(documentId);
  if (document.isPending) return <LoadingState label="Loading the document" />;
  if (document.error) return <ErrorNotice error={document.error} onRetry={() => void document.refetch()} />;
  return <DocumentDetails document={document.data} />;
}

function DocumentDetails({ document }: { document: Document }) {
  const search: VersionsSearch = documentVersionsRoute.useSearch();
  const navigate = documentVersionsRoute.useNavigate();
  const me = useSession().user.id;
  const writable = useCan('documents:write') && !document.archivedAt;
  const owners = useAccountOwners(document.accountId);
  const fileTypes = useFileTypes();
  const contacts = useContactOptions(document.accountId);
  const fileType = fileTypes.byId.get(document.fileTypeId);
  const [dialog, setDialog] = useState<'edit' | 'upload' | 'archive' | null>(null);
  const versions = useQuery({
    ...actionQuery('documents.listDocumentVersions', { documentId: document.id, cursor: search.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some((version) => version.scanState === 'pending') ? scanPollMs : false,
  });
  const download = useDownloadVersion('documents.createStaffDownloadLink', {
    invalidates: ['documents.listDownloads'],
  });
  const downloadVersion = (version: DocumentVersion) =>
    download.mutate(
      { documentId: document.id, versionId: version.id },
      { onError: (error) => notifyFailed(`Version ${version.number} was not downloaded`, error) },
    );
  const where = owners.whereOf(document.owner);

  return (
    <Stack gap="md">
      {document.archivedAt && (
        <Alert color="gray" title="Archived document">
          Archived {formatDateTime(document.archivedAt)}. It is no longer shown in the portal; its versions and download
          log stay readable.
        </Alert>
      )}
      <Paper withBorder p="md">
        <Stack gap="md">
          <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
            <Title order={2} size="h4">
              Details
            </Title>
            {writable && (
              <Group gap="xs">
                <Button
                  variant="default"
                  leftSection={<IconPencil size={16} aria-hidden />}
                  onClick={() => setDialog('edit')}
                >
                  Edit
                </Button>
                <Button
                  variant="default"
                  color="red"
                  leftSection={<IconArchive size={16} aria-hidden />}
                  onClick={() => setDialog('archive')}
                >
                  Archive
                </Button>
              </Group>
            )}
          </Group>
          <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm" m={0}>
            <DetailField label="Where">
              {document.owner.kind === 'account' ? (
                'The account itself'
              ) : (
                <>
                  {document.owner.kind === 'site' ? 'Site' : 'Project'}{' '}
                  <OwnerName owner={document.owner} known={where} />
                </>
              )}
            </DetailField>
            <DetailField label="File type">{fileType?.name ?? '…'}</DetailField>
            <DetailField label="Sharing">
              {sharingLabels[document.sharing]}
              {document.sharing === 'contacts' &&
                `: ${document.sharedWithContactIds.map((id) => contacts.nameOf(id) ?? 'a former contact').join(', ')}`}
              <Text component="span" size="xs" c="dimmed" display="block">
                {sharingHelp(document.sharing, fileType)}
              </Text>
            </DetailField>
            <DetailField label="Description">{document.description || '—'}</DetailField>
            <DetailField label="Created">{formatDateTime(document.createdAt)}</DetailField>
            <DetailField label="Last changed">{formatDateTime(document.updatedAt)}</DetailField>
          </SimpleGrid>
        </Stack>
      </Paper>
      <Group justify="space-between" align="center">
        <Title order={2} size="h4">
          Versions
        </Title>
        {writable && (
          <Button leftSection={<IconUpload size={16} aria-hidden />} onClick={() => setDialog('upload')}>
            Upload new version
          </Button>
        )}
      </Group>
      <CursorTable<DocumentVersion>
        label="Versions"
        query={versions}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: VersionsSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title="No file yet">
            {writable
              ? 'Send the first file with “Upload new version”.'
              : 'Versions appear here once a file is uploaded.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'number', title: 'Version', render: (version) => `v${version.number}` },
          { accessor: 'fileName', title: 'File name' },
          { accessor: 'sizeBytes', title: 'Size', render: (version) => formatFileSize(version.sizeBytes) },
          {
            accessor: 'contentType',
            title: 'Detected type',
            render: (version) => contentTypeNames[version.contentType],
          },
          { accessor: 'uploadedBy', title: 'Uploaded by', render: (version) => uploaderOf(version, me) },
          { accessor: 'uploadedAt', title: 'Uploaded', render: (version) => formatDateTime(version.uploadedAt) },
          {
            accessor: 'scanState',
            title: 'Scan',
            render: (version) => <ScanStateBadge state={version.scanState} signature={version.scanSignature} />,
          },
          {
            accessor: 'download',
            title: <VisuallyHidden>Download</VisuallyHidden>,
            textAlign: 'right',
            render: (version) =>
              version.scanState === 'clean' ? (
                <Button
                  size="compact-sm"
                  variant="subtle"
                  leftSection={<IconDownload size={14} aria-hidden />}
                  aria-label={`Download version ${version.number}`}
                  loading={download.isPending && download.variables.versionId === version.id}
                  onClick={() => downloadVersion(version)}
                >
                  Download
                </Button>
              ) : null,
          },
        ]}
      />
      {dialog === 'edit' && <EditDocumentDialog document={document} onClose={() => setDialog(null)} />}
      {dialog === 'upload' && (
        <UploadVersionDialog document={document} fileType={fileType} onClose={() => setDialog(null)} />
      )}
      {dialog === 'archive' && <ArchiveDocumentDialog document={document} onClose={() => setDialog(null)} />}
    </Stack>
  );
}

function ArchiveDocumentDialog({ document, onClose }: { document: Document; onClose: () => void }) {
  const navigate = useNavigate();
  const archive = useActionMutation('documents.archiveDocument', {
    invalidates: documentChangeInvalidates,
    onSuccess: (archived) => {
      notifySaved(`Document ${archived.title} archived`);
      onClose();
      void navigate({ to: `/accounts/${archived.accountId}/documents` });
    },
  });
  return (
    <ConfirmDialog
      danger
      title={`Archive document ${document.title}?`}
      confirmLabel="Archive document"
      pending={archive.isPending}
      error={archive.error}
      onConfirm={() => archive.mutate({ documentId: document.id })}
      onClose={onClose}
    >
      {`“${document.title}” leaves the portal and the account’s list of documents (unless “Show archived” is on). Its versions and download log stay readable; it can no longer be changed.`}
    </ConfirmDialog>
  );
}
