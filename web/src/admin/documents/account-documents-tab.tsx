import { Anchor, Badge, Button, Group, Switch } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import type { Document } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { accountRoute } from '../accounts/account-layout.tsx';
import { useFileTypes } from '../file-types/file-type-queries.ts';
import { OwnerName, useAccountOwners } from './document-owners.tsx';
import { UploadDocumentDialog } from './upload-document-dialog.tsx';
import { awaitsScan, CurrentVersionCell, scanPollMs } from './version-parts.tsx';

const documentsSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  includeArchived: z.boolean().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type DocumentsSearch = z.infer<typeof documentsSearchSchema>;

/** `/accounts/$accountId/documents`: the documents of the account, its sites and its projects. */
export const accountDocumentsRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: 'documents',
  validateSearch: documentsSearchSchema,
  component: AccountDocumentsTab,
});

function AccountDocumentsTab() {
  const { accountId } = accountRoute.useParams();
  const search = accountDocumentsRoute.useSearch();
  const navigate = accountDocumentsRoute.useNavigate();
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  const writable = useCan('documents:write') && account.data !== undefined && !account.data.archivedAt;
  const owners = useAccountOwners(accountId);
  const fileTypes = useFileTypes();
  const [uploading, setUploading] = useState(false);
  const setFilter = (change: Partial<DocumentsSearch>) =>
    void navigate({ search: (previous: DocumentsSearch) => ({ ...previous, ...change, cursor: undefined }) });
  const documents = useQuery({
    ...actionQuery('documents.listDocuments', {
      accountId,
      search: search.search,
      includeArchived: search.includeArchived ?? false,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some(awaitsScan) ? scanPollMs : false),
  });

  return (
    <>
      <Group gap="sm" align="flex-end" wrap="wrap" justify="space-between">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <SearchField
            label="Search documents"
            placeholder="Title"
            value={search.search}
            onSearch={(value) => setFilter({ search: value })}
          />
          <Switch
            label="Show archived"
            checked={search.includeArchived ?? false}
            onChange={(event) => setFilter({ includeArchived: event.currentTarget.checked || undefined })}
          />
        </Group>
        {writable && (
          <Button leftSection={<IconUpload size={16} aria-hidden />} onClick={() => setUploading(true)}>
            Upload document
          </Button>
        )}
      </Group>
      <CursorTable<Document>
        label="Documents"
        query={documents}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: DocumentsSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title={search.search ? 'No document matches' : 'No documents yet'}>
            {search.search
              ? 'Try another title, or clear the search.'
              : writable
                ? 'Upload drawings, certificates and other files for this customer with “Upload document”; contacts see them in the portal as their sharing allows.'
                : 'Documents appear here once staff with write access upload them.'}
          </EmptyState>
        }
        columns={[
          {
            accessor: 'title',
            title: 'Title',
            render: (document) => (
              <Group gap={6} wrap="nowrap">
                <Anchor size="sm" renderRoot={(props) => <Link {...props} to={`/documents/${document.id}`} />}>
                  {document.title}
                </Anchor>
                {document.archivedAt && (
                  <Badge size="xs" color="gray">
                    Archived
                  </Badge>
                )}
              </Group>
            ),
          },
          {
            accessor: 'owner',
            title: 'Where',
            render: (document) => <OwnerName owner={document.owner} known={owners.whereOf(document.owner)} />,
          },
          {
            accessor: 'fileTypeId',
            title: 'File type',
            render: (document) => fileTypes.byId.get(document.fileTypeId)?.name ?? '…',
          },
          {
            accessor: 'currentVersion',
            title: 'Current version',
            render: (document) => <CurrentVersionCell document={document} />,
          },
          { accessor: 'updatedAt', title: 'Updated', render: (document) => formatDateTime(document.updatedAt) },
        ]}
      />
      {uploading && <UploadDocumentDialog accountId={accountId} onClose={() => setUploading(false)} />}
    </>
  );
}
