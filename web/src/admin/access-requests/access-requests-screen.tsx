import { Anchor, Badge, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import { accessRequestStatuses, rejectAccessRequest, type AccessRequest } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { EmptyState, ErrorNotice } from '../../shared/feedback/states.tsx';
import { ChoiceFilter } from '../../shared/forms/choice-filter.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { Page } from '../../shared/layout/page.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { adminRootRoute } from '../root-route.tsx';
import { ApproveRequestDialog } from './approve-request-dialog.tsx';

type RequestStatus = AccessRequest['status'];

const statusLabels: Record<RequestStatus, string> = { pending: 'Pending', approved: 'Approved', rejected: 'Rejected' };
const statusColours: Record<RequestStatus, string> = { pending: 'blue', approved: 'green', rejected: 'gray' };

/** The queue's view in the URL: which requests (pending by default) and the page. */
const requestsSearchSchema = z.object({
  status: z.enum(accessRequestStatuses).optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type RequestsSearch = z.infer<typeof requestsSearchSchema>;

export const accessRequestsRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'access-requests',
  validateSearch: requestsSearchSchema,
  component: AccessRequestsScreen,
});

function AccessRequestsScreen() {
  const search: RequestsSearch = accessRequestsRoute.useSearch();
  const navigate = accessRequestsRoute.useNavigate();
  const canDecide = useCan('access:write');
  const [approving, setApproving] = useState<AccessRequest | null>(null);
  const [rejecting, setRejecting] = useState<AccessRequest | null>(null);
  const status = search.status ?? 'pending';
  const requests = useQuery({
    ...actionQuery('identity.listAccessRequests', { status, cursor: search.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  const decided = status !== 'pending';
  return (
    <Page
      title="Access requests"
      description="People who asked for a portal login on the sign-in page. Approve to invite them, or reject politely."
    >
      <ChoiceFilter<RequestStatus>
        label="Show"
        value={status}
        onChange={(value) =>
          void navigate({
            search: (previous: RequestsSearch) => ({
              ...previous,
              status: value === 'pending' ? undefined : value,
              cursor: undefined,
            }),
          })
        }
        options={accessRequestStatuses.map((value) => ({ value, label: statusLabels[value] }))}
      />
      <CursorTable<AccessRequest>
        label="Access requests"
        query={requests}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: RequestsSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title={decided ? `No ${statusLabels[status].toLowerCase()} requests` : 'No requests waiting'}>
            {decided
              ? 'Requests decided this way appear here.'
              : 'When someone uses “Request access” on the portal sign-in page, the request waits here for a decision. The button shows while the system option is on.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'createdAt', title: 'Received', render: (request) => formatDateTime(request.createdAt) },
          { accessor: 'name', title: 'Name' },
          { accessor: 'email', title: 'E-mail' },
          { accessor: 'company', title: 'Company' },
          {
            accessor: 'message',
            title: 'Message',
            render: (request) =>
              request.message ? (
                <Text size="sm" lineClamp={3} maw={320} title={request.message}>
                  {request.message}
                </Text>
              ) : (
                '—'
              ),
          },
          ...(decided
            ? [
                {
                  accessor: 'decidedAt',
                  title: 'Decision',
                  render: (request: AccessRequest) => (
                    <Stack gap={2}>
                      <Group gap={6}>
                        <Badge size="sm" variant="light" color={statusColours[request.status]}>
                          {statusLabels[request.status]}
                        </Badge>
                        <Text size="xs">{formatDateTime(request.decidedAt)}</Text>
                      </Group>
                      {request.decisionReason && (
                        <Text size="xs" c="dimmed">
                          Reason: {request.decisionReason}
                        </Text>
                      )}
                      {request.contactId && (
                        <Anchor component={Link} to={`/contacts/${request.contactId}`} size="xs">
                          Open the contact
                        </Anchor>
                      )}
                    </Stack>
                  ),
                },
              ]
            : canDecide
              ? [
                  {
                    accessor: 'actions',
                    title: 'Actions',
                    render: (request: AccessRequest) => (
                      <Group gap={6} wrap="nowrap">
                        <Button
                          size="compact-sm"
                          onClick={() => setApproving(request)}
                          aria-label={`Approve the request of ${request.name}`}
                        >
                          Approve
                        </Button>
                        <Button
                          size="compact-sm"
                          variant="light"
                          color="red"
                          onClick={() => setRejecting(request)}
                          aria-label={`Reject the request of ${request.name}`}
                        >
                          Reject
                        </Button>
                      </Group>
                    ),
                  },
                ]
              : []),
        ]}
      />
      {approving && <ApproveRequestDialog request={approving} onClose={() => setApproving(null)} />}
      {rejecting && <RejectRequestDialog request={rejecting} onClose={() => setRejecting(null)} />}
    </Page>
  );
}

/** The reason is for staff only: the requester's e-mail never quotes it. Blank means none. */
const rejectForm = z.object({
  reason: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    rejectAccessRequest.params.shape.reason,
  ),
});

function RejectRequestDialog({ request, onClose }: { request: AccessRequest; onClose: () => void }) {
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { reason: '' },
    validate: schemaResolver(rejectForm, { sync: true }),
  });
  const reject = useActionMutation('identity.rejectAccessRequest', {
    invalidates: ['identity.listAccessRequests', 'directory.listAccountAudit'],
    onSuccess: () => {
      onClose();
      notifySaved(`Request of ${request.name} rejected; they get a polite e-mail.`);
    },
    onError: setFailure,
  });
  return (
    <Modal opened onClose={onClose} title="Reject access request" centered>
      <form
        onSubmit={form.onSubmit((values) => {
          setFailure(null);
          reject.mutate({ requestId: request.id, ...rejectForm.parse(values) });
        })}
        noValidate
      >
        <Stack gap="sm">
          <Text size="sm">
            {request.name} ({request.email}) gets a polite e-mail saying the request was not approved.
          </Text>
          <Textarea
            label="Reason (optional)"
            description="Kept for staff only; the e-mail does not quote it."
            autosize
            minRows={3}
            maxRows={8}
            data-autofocus
            {...form.getInputProps('reason')}
          />
          {failure ? <ErrorNotice error={failure} title="The request was not rejected" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={reject.isPending}>
              Reject request
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
