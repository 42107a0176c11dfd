import { Badge, Button, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import type { FileType } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { contentTypeNames, formatFileSize } from '../../shared/files/upload-file.ts';
import { formatDateTime } from '../../shared/format/dates.ts';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { rowActionsColumn } from '../../shared/tables/columns.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { adminRootRoute } from '../root-route.tsx';
import { FileTypeDialog } from './file-type-dialog.tsx';

const fileTypesSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type FileTypesSearch = z.infer<typeof fileTypesSearchSchema>;

/** `/file-types`: the kinds of document, what they accept and whether customers see them. */
export const fileTypesRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'file-types',
  validateSearch: fileTypesSearchSchema,
  component: FileTypesScreen,
});

function FileTypesScreen() {
  const search = fileTypesRoute.useSearch();
  const navigate = fileTypesRoute.useNavigate();
  const canWrite = useCan('settings:write');
  const [dialog, setDialog] = useState<{ fileType?: FileType } | null>(null);
  const fileTypes = useQuery({
    ...actionQuery('documents.listFileTypes', { search: search.search, cursor: search.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });

  return (
    <Page
      title="File types"
      description="Every document has a file type: it decides which files are accepted, how large, and whether customers see documents shared “by file type”."
      actions={
        canWrite && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({})}>
            New file type
          </Button>
        )
      }
    >
      <SearchField
        label="Search"
        placeholder="Code or name"
        value={search.search}
        onSearch={(value) =>
          void navigate({ search: (previous: FileTypesSearch) => ({ ...previous, search: value, cursor: undefined }) })
        }
      />
      <CursorTable<FileType>
        label="File types"
        query={fileTypes}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: FileTypesSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title={search.search ? 'No file type matches' : 'No file types yet'}>
            {search.search
              ? 'Try another code or name, or clear the search.'
              : canWrite
                ? 'Create one with “New file type” before uploading documents: say which files it accepts and whether customers see them.'
                : 'File types appear here once an administrator creates them.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'code', title: 'Code' },
          {
            accessor: 'name',
            title: 'Name',
            render: (fileType) => (
              <Stack gap={4} align="flex-start">
                <Text size="sm">{fileType.name}</Text>
                {fileType.customerVisible ? (
                  <Badge size="sm" variant="light" color="green">
                    Customer-visible
                  </Badge>
                ) : (
                  <Badge size="sm" variant="light" color="gray">
                    Internal
                  </Badge>
                )}
              </Stack>
            ),
          },
          {
            accessor: 'allowedContentTypes',
            title: 'Accepts',
            render: (fileType) => fileType.allowedContentTypes.map((type) => contentTypeNames[type]).join(', '),
          },
          {
            accessor: 'maxSizeBytes',
            title: 'Size limit',
            render: (fileType) => formatFileSize(fileType.maxSizeBytes),
          },
          { accessor: 'updatedAt', title: 'Last changed', render: (fileType) => formatDateTime(fileType.updatedAt) },
          ...(canWrite
            ? [
                rowActionsColumn<FileType>([
                  {
                    label: 'Edit',
                    name: (fileType) => `Edit file type ${fileType.name}`,
                    onClick: (fileType) => setDialog({ fileType }),
                  },
                ]),
              ]
            : []),
        ]}
      />
      {dialog && <FileTypeDialog fileType={dialog.fileType} onClose={() => setDialog(null)} />}
    </Page>
  );
}
