import { Anchor, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { invitationStatuses, type Invitation } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { ChoiceFilter } from '../../shared/forms/choice-filter.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { Page } from '../../shared/layout/page.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { contactNameOf } from '../contacts/account-directory.ts';
import { AccessActionButtons, useAccessOperations } from '../portal-access/access-operations.tsx';
import { adminRootRoute } from '../root-route.tsx';

const statusLabels: Record<Invitation['status'], string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  expired: 'Expired',
  cancelled: 'Cancelled',
};

/** The list's view in the URL: which invitations (pending by default), one account's only, and the page. */
const invitationsSearchSchema = z.object({
  status: z.enum(invitationStatuses).optional().catch(undefined),
  accountId: z.uuid().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type InvitationsSearch = z.infer<typeof invitationsSearchSchema>;

/** A contact may have several past invitations: a row's id is the contact and when it was invited. */
export const invitationsRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'invitations',
  validateSearch: invitationsSearchSchema,
  component: InvitationsScreen,
});

/** The invited contact's name (the invitation itself has only its id and e-mail). */
function ContactCell({ invitation }: { invitation: Invitation }) {
  const contact = useQuery({
    ...actionQuery('directory.getContact', { contactId: invitation.contactId }),
    staleTime: 60_000,
  });
  return (
    <Anchor component={Link} to={`/contacts/${invitation.contactId}`}>
      {contact.data ? contactNameOf(contact.data) : contact.error ? 'Contact' : '…'}
    </Anchor>
  );
}

function AccountCell({ accountId }: { accountId: string }) {
  const account = useQuery({ ...actionQuery('directory.getAccount', { accountId }), staleTime: 60_000 });
  return (
    <Anchor component={Link} to={`/accounts/${accountId}/portal`}>
      {account.data ? `${account.data.name} (${account.data.number})` : account.error ? 'Account' : '…'}
    </Anchor>
  );
}

function InvitationActions({
  invitation,
  operations,
}: {
  invitation: Invitation;
  operations: ReturnType<typeof useAccessOperations>;
}) {
  const contact = useQuery({
    ...actionQuery('directory.getContact', { contactId: invitation.contactId }),
    staleTime: 60_000,
  });
  const name = contact.data ? contactNameOf(contact.data) : invitation.email;
  return (
    <AccessActionButtons
      inRow
      operations={operations}
      subject={{ contactId: invitation.contactId, name, email: invitation.email, status: 'invited' }}
    />
  );
}

function InvitationsScreen() {
  const search: InvitationsSearch = invitationsRoute.useSearch();
  const navigate = invitationsRoute.useNavigate();
  const canAct = useCan('access:write');
  const operations = useAccessOperations();
  const status = search.status ?? 'pending';
  const invitations = useQuery({
    ...actionQuery('identity.listInvitations', {
      status,
      accountId: search.accountId,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <Page
      title="Pending invitations"
      description="Portal invitations sent to contacts, across all accounts: resend one whose e-mail got lost, or cancel it."
    >
      <ChoiceFilter<Invitation['status']>
        label="Show"
        value={status}
        onChange={(value) =>
          void navigate({
            search: (previous: InvitationsSearch) => ({
              ...previous,
              status: value === 'pending' ? undefined : value,
              cursor: undefined,
            }),
          })
        }
        options={invitationStatuses.map((value) => ({ value, label: statusLabels[value] }))}
      />
      {search.accountId && (
        <Text size="sm">
          One account only: <AccountCell accountId={search.accountId} />.{' '}
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() =>
              void navigate({
                search: (previous: InvitationsSearch) => ({ ...previous, accountId: undefined, cursor: undefined }),
              })
            }
          >
            Show all accounts
          </Anchor>
        </Text>
      )}
      <CursorTable<Invitation>
        label="Invitations"
        query={invitations}
        // An invitation has no id of its own: a contact is invited once at a time.
        idAccessor={(invitation) => `${invitation.contactId}:${invitation.invitedAt}`}
        cursor={search.cursor}
        onCursorChange={(cursor) =>
          void navigate({ search: (previous: InvitationsSearch) => ({ ...previous, cursor }) })
        }
        empty={
          <EmptyState
            title={
              status === 'pending' ? 'No pending invitations' : `No ${statusLabels[status].toLowerCase()} invitations`
            }
          >
            {status === 'pending'
              ? 'Invite a contact from its Details tab (“Send portal invite”); the invitation waits here until the contact uses it or it expires.'
              : 'Invitations in this state appear here.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'contactId', title: 'Contact', render: (invitation) => <ContactCell invitation={invitation} /> },
          { accessor: 'email', title: 'E-mail' },
          {
            accessor: 'accountId',
            title: 'Account',
            render: (invitation) => <AccountCell accountId={invitation.accountId} />,
          },
          { accessor: 'invitedAt', title: 'Invited', render: (invitation) => formatDateTime(invitation.invitedAt) },
          { accessor: 'expiresAt', title: 'Expires', render: (invitation) => formatDateTime(invitation.expiresAt) },
          { accessor: 'sends', title: 'E-mails sent' },
          ...(canAct && status === 'pending'
            ? [
                {
                  accessor: 'actions',
                  title: 'Actions',
                  render: (invitation: Invitation) => (
                    <InvitationActions invitation={invitation} operations={operations} />
                  ),
                },
              ]
            : []),
        ]}
      />
      {operations.dialogs}
    </Page>
  );
}
