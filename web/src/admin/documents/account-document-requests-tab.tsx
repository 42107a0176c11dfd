import { Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconDownload, IconFilePlus } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import { documentRequestStatusSchema, type DocumentRequest } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { notifyFailed, notifySaved } from '../../shared/feedback/notify.tsx';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { useDownloadVersion } from '../../shared/files/download-file.ts';
import { formatFileSize } from '../../shared/files/upload-file.ts';
import { formatDate } from '../../shared/format/dates.ts';
import { ChoiceFilter } from '../../shared/forms/choice-filter.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { rowActionsColumn } from '../../shared/tables/columns.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { accountRoute } from '../accounts/account-layout.tsx';
import { useFileTypes } from '../file-types/file-type-queries.ts';
import { OwnerName, useAccountOwners } from './document-owners.tsx';
import { RequestDocumentDialog, documentRequestChangeInvalidates } from './request-document-dialog.tsx';
import { useContactOptions } from './sharing-fields.tsx';

const requestsSearchSchema = z.object({
  status: documentRequestStatusSchema.optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type RequestsSearch = z.infer<typeof requestsSearchSchema>;
type Status = DocumentRequest['status'];

/** `/accounts/$accountId/document-requests`: files asked of the account's contacts, and their answers. */
export const accountDocumentRequestsRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: 'document-requests',
  validateSearch: requestsSearchSchema,
  component: AccountDocumentRequestsTab,
});

const statusBadges: Record<Status, { label: string; color: string }> = {
  open: { label: 'Open', color: 'blue' },
  fulfilled: { label: 'Fulfilled', color: 'green' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};

function AccountDocumentRequestsTab() {
  const { accountId } = accountRoute.useParams();
  const search = accountDocumentRequestsRoute.useSearch();
  const navigate = accountDocumentRequestsRoute.useNavigate();
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  const writable = useCan('documents:write') && account.data !== undefined && !account.data.archivedAt;
  const owners = useAccountOwners(accountId);
  const fileTypes = useFileTypes();
  const contacts = useContactOptions(accountId);
  const [requesting, setRequesting] = useState(false);
  const [cancelling, setCancelling] = useState<DocumentRequest | null>(null);
  const download = useDownloadVersion('documents.createStaffDownloadLink', {
    invalidates: ['documents.listDownloads'],
  });
  const setFilter = (change: Partial<RequestsSearch>) =>
    void navigate({ search: (previous: RequestsSearch) => ({ ...previous, ...change, cursor: undefined }) });
  const requests = useQuery({
    ...actionQuery('documents.listDocumentRequests', {
      accountId,
      status: search.status,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <Group gap="sm" align="flex-end" wrap="wrap" justify="space-between">
        <ChoiceFilter<Status | 'any'>
          label="Status"
          value={search.status ?? 'any'}
          options={[
            { value: 'any', label: 'Any' },
            { value: 'open', label: 'Open' },
            { value: 'fulfilled', label: 'Fulfilled' },
            { value: 'cancelled', label: 'Cancelled' },
          ]}
          onChange={(status) => setFilter({ status: status === 'any' ? undefined : status })}
        />
        {writable && (
          <Button leftSection={<IconFilePlus size={16} aria-hidden />} onClick={() => setRequesting(true)}>
            Request a document
          </Button>
        )}
      </Group>
      <CursorTable<DocumentRequest>
        label="Document requests"
        query={requests}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: RequestsSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title={search.status ? 'No request with this status' : 'No document requests yet'}>
            {search.status
              ? 'Choose another status to see more requests.'
              : writable
                ? 'Ask this customer’s contacts for a file with “Request a document”; they answer by uploading it in the portal.'
                : 'Requests appear here once staff with write access create them.'}
          </EmptyState>
        }
        columns={[
          {
            accessor: 'title',
            title: 'Title',
            render: (request) => (
              <Stack gap={0}>
                <Text size="sm" fw={500}>
                  {request.title}
                </Text>
                {request.instructions && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {request.instructions}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {fileTypes.byId.get(request.fileTypeId)?.name ?? ''}
                </Text>
              </Stack>
            ),
          },
          {
            accessor: 'owner',
            title: 'Where',
            render: (request) => <OwnerName owner={request.owner} known={owners.whereOf(request.owner)} />,
          },
          {
            accessor: 'requestedFromContactIds',
            title: 'Requested from',
            render: (request) =>
              request.requestedFromContactIds.map((id) => contacts.nameOf(id) ?? 'a former contact').join(', '),
          },
          { accessor: 'dueDate', title: 'Due', render: (request) => formatDate(request.dueDate) },
          {
            accessor: 'status',
            title: 'Status',
            render: (request) => (
              <Badge size="sm" variant="light" color={statusBadges[request.status].color}>
                {statusBadges[request.status].label}
              </Badge>
            ),
          },
          {
            accessor: 'fulfilledVersion',
            title: 'Answer',
            render: (request) => {
              const version = request.fulfilledVersion;
              if (!version || !request.fulfilledDocumentId)
                return (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                );
              const documentId = request.fulfilledDocumentId;
              return (
                <Group gap="xs" wrap="nowrap">
                  <Stack gap={0}>
                    <Anchor size="sm" renderRoot={(props) => <Link {...props} to={`/documents/${documentId}`} />}>
                      {version.fileName}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {formatFileSize(version.sizeBytes)}
                      {request.fulfilledByContactId
                        ? ` · ${contacts.nameOf(request.fulfilledByContactId) ?? 'a contact'}`
                        : ''}
                    </Text>
                  </Stack>
                  {version.scanState === 'clean' && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      leftSection={<IconDownload size={14} aria-hidden />}
                      aria-label={`Download ${version.fileName}`}
                      loading={download.isPending && download.variables.versionId === version.id}
                      onClick={() =>
                        download.mutate(
                          { documentId, versionId: version.id },
                          { onError: (error) => notifyFailed(`${version.fileName} was not downloaded`, error) },
                        )
                      }
                    >
                      Download
                    </Button>
                  )}
                </Group>
              );
            },
          },
          ...(writable
            ? [
                rowActionsColumn<DocumentRequest>([
                  {
                    label: 'Cancel request',
                    name: (request) => `Cancel request ${request.title}`,
                    color: 'red',
                    onClick: setCancelling,
                    when: (request) => request.status === 'open',
                  },
                ]),
              ]
            : []),
        ]}
      />
      {requesting && <RequestDocumentDialog accountId={accountId} onClose={() => setRequesting(false)} />}
      {cancelling && <CancelRequestDialog request={cancelling} onClose={() => setCancelling(null)} />}
    </>
  );
}

function CancelRequestDialog({ request, onClose }: { request: DocumentRequest; onClose: () => void }) {
  const cancel = useActionMutation('documents.cancelDocumentRequest', {
    invalidates: documentRequestChangeInvalidates,
    onSuccess: (cancelled) => {
      notifySaved(`Request ${cancelled.title} cancelled`);
      onClose();
    },
  });
  return (
    <ConfirmDialog
      danger
      title={`Cancel request ${request.title}?`}
      confirmLabel="Cancel request"
      pending={cancel.isPending}
      error={cancel.error}
      onConfirm={() => cancel.mutate({ requestId: request.id })}
      onClose={onClose}
    >
      The request leaves the portal and can no longer be answered. It stays listed here as cancelled.
    </ConfirmDialog>
  );
}
