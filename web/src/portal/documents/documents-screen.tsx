import { Anchor, Button, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { z } from 'zod';
import { documentOwnerKindSchema, type PortalDocument } from '@portal/contracts';
import { ApiError } from '../../shared/api/api-error.ts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { signedInRoute, type SignedInSearch } from '../root-route.tsx';
import { projectLabel, useOwnerNames } from './owner-names.ts';
import { formatFileSize } from '../../shared/files/upload-file.ts';

/** `listPortalDocuments`' filters, all in the URL: the title search, one owner, the page. */
const documentsSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  ownerKind: documentOwnerKindSchema.optional().catch(undefined),
  ownerId: z.uuid().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
export type DocumentsSearch = z.infer<typeof documentsSearchSchema> & SignedInSearch;

/** `/documents`: the documents the contact may see. */
export const documentsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'documents',
  validateSearch: documentsSearchSchema,
  component: DocumentsScreen,
});

const allDocuments = 'all';

function DocumentsScreen() {
  const search: DocumentsSearch = documentsRoute.useSearch();
  const navigate = documentsRoute.useNavigate();
  // "Clear filters" empties the search box too: a new box, started from the (now empty) URL.
  const [searchBox, setSearchBox] = useState(0);
  const setFilter = (change: Partial<DocumentsSearch>) =>
    void navigate({ search: (previous: DocumentsSearch) => ({ ...previous, ...change, cursor: undefined }) });
  const clearFilters = () => {
    setSearchBox((box) => box + 1);
    setFilter({ search: undefined, ownerKind: undefined, ownerId: undefined });
  };

  const { projects, whereOf } = useOwnerNames();
  // An owner only narrows with both halves; a half from a hand-edited link is ignored.
  const owner = search.ownerKind && search.ownerId ? { kind: search.ownerKind, id: search.ownerId } : undefined;
  const documents = useQuery({
    ...actionQuery('documents.listPortalDocuments', {
      accountId: search.account,
      search: search.search,
      ownerKind: owner?.kind,
      ownerId: owner?.id,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });

  // A project (or site) from an old link that this contact does not see (any more): the API answers 404.
  const unknownOwner =
    owner !== undefined && documents.error instanceof ApiError && documents.error.code === 'OWNER_NOT_FOUND';
  const showAllDocuments = () => setFilter({ ownerKind: undefined, ownerId: undefined });

  const projectOptions = projects.map((project) => ({ value: project.id, label: projectLabel(project) }));
  // A project from a link that is not among the first 100 (or not the contact's): still shown as chosen.
  if (owner && !projects.some((project) => project.id === owner.id)) {
    projectOptions.unshift({ value: owner.id, label: whereOf(owner) });
  }
  const filtered = Boolean(search.search || owner);

  const columns: DataTableColumn<PortalDocument>[] = [
    {
      accessor: 'title',
      title: 'Title',
      render: (document) => (
        <Anchor
          component={Link}
          to={`/documents/${document.id}`}
          fw={600}
          // The row opens the document too; the link is the keyboard's and the screen reader's way.
          onClick={(event) => event.stopPropagation()}
        >
          {document.title}
        </Anchor>
      ),
    },
    { accessor: 'owner', title: 'Where', render: (document) => whereOf(document.owner) },
    { accessor: 'fileType', title: 'File type', render: (document) => document.fileType.name },
    {
      accessor: 'currentVersion',
      title: 'Current file',
      render: ({ currentVersion }) => (
        <Stack gap={0}>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {currentVersion.fileName}
          </Text>
          <Text size="xs" c="dimmed">
            {formatFileSize(currentVersion.sizeBytes)}
          </Text>
        </Stack>
      ),
    },
    { accessor: 'updatedAt', title: 'Updated', render: (document) => formatDateTime(document.updatedAt) },
  ];

  return (
    <Page title="Documents" description="The documents your supplier shares with you.">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <SearchField
          key={searchBox}
          label="Search documents"
          placeholder="Title"
          value={search.search}
          onSearch={(value) => setFilter({ search: value })}
        />
        <NativeSelect
          label="Project"
          w={{ base: '100%', xs: 280 }}
          value={owner?.kind === 'project' ? owner.id : allDocuments}
          onChange={(event) => {
            const chosen = event.currentTarget.value;
            setFilter(
              chosen === allDocuments
                ? { ownerKind: undefined, ownerId: undefined }
                : { ownerKind: 'project', ownerId: chosen },
            );
          }}
          data={[{ value: allDocuments, label: 'All documents' }, ...projectOptions]}
        />
      </Group>
      {unknownOwner ? (
        <EmptyState
          title="This project is not among yours"
          action={
            <Button variant="default" onClick={showAllDocuments}>
              Show all documents
            </Button>
          }
        >
          The link names a project or site whose documents your login does not reach (any more). Choose a project above,
          or see all your documents.
        </EmptyState>
      ) : (
        <CursorTable<PortalDocument>
          label="Documents"
          query={documents}
          cursor={search.cursor}
          onCursorChange={(cursor) =>
            void navigate({ search: (previous: DocumentsSearch) => ({ ...previous, cursor }) })
          }
          onRowClick={(document) =>
            void navigate({ to: '/documents/$documentId', params: { documentId: document.id } })
          }
          empty={
            filtered ? (
              <EmptyState
                title="No document matches"
                action={
                  <Button variant="default" onClick={clearFilters}>
                    Clear filters
                  </Button>
                }
              >
                Try another title{owner ? ', or look in all documents' : ''}.
              </EmptyState>
            ) : (
              <EmptyState title="No documents shared with you yet">
                When your supplier shares drawings, certificates or other files for your projects and sites, they appear
                here. Ask your contact person at the supplier if you expected one.
              </EmptyState>
            )
          }
          columns={columns}
        />
      )}
    </Page>
  );
}
