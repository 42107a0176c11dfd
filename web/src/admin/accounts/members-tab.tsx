import { Alert, Anchor, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import type { Account } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { EmptyState, ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { useCan } from '../../shared/session/permissions.ts';
import { rowActionsColumn } from '../../shared/tables/columns.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { accountRoute } from './account-layout.tsx';
import { AccountSelect, accountLabel } from './account-select.tsx';
import { accountChangeInvalidates } from './edit-account-dialog.tsx';

const membersSearchSchema = z.object({ cursor: z.string().optional().catch(undefined) });
type MembersSearch = z.infer<typeof membersSearchSchema>;

/** `/accounts/$accountId/members`: the customer accounts a consolidated account groups. */
export const accountMembersRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: 'members',
  validateSearch: membersSearchSchema,
  component: MembersTab,
});

function MembersTab() {
  const { accountId } = accountRoute.useParams();
  const search = accountMembersRoute.useSearch();
  const navigate = accountMembersRoute.useNavigate();
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  const canWrite = useCan('directory:write');
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Account | null>(null);
  const isGroup = account.data?.kind === 'consolidated';
  const members = useQuery({
    ...actionQuery('directory.listAccounts', {
      consolidatedAccountId: accountId,
      kind: 'customer',
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
    enabled: isGroup,
  });
  if (account.isPending) return <LoadingState label="Loading the account" />;
  if (account.error) return <ErrorNotice error={account.error} onRetry={() => void account.refetch()} />;
  if (!isGroup) {
    return (
      <Alert color="gray" title="Not a consolidated account">
        Only consolidated accounts have member accounts. To group this customer, open a consolidated account and add it
        there, or choose its consolidated account under Details.
      </Alert>
    );
  }
  const writable = canWrite && !account.data.archivedAt;
  return (
    <>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Text size="sm" c="dimmed" maw={640}>
          The customer accounts this consolidated account groups. Contacts of {account.data.name} may see their items,
          as their portal access allows.
        </Text>
        {writable && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
            Add member account
          </Button>
        )}
      </Group>
      <CursorTable<Account>
        label="Member accounts"
        query={members}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: MembersSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title="No member accounts yet">
            {writable
              ? 'Add the customer accounts this group stands for with “Add member account”.'
              : 'Customer accounts appear here once staff with write access add them to this group.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'number', title: 'Number' },
          {
            accessor: 'name',
            title: 'Name',
            render: (member) => (
              <Anchor component={Link} to={`/accounts/${member.id}`}>
                {member.name}
              </Anchor>
            ),
          },
          { accessor: 'createdAt', title: 'Created', render: (member) => formatDateTime(member.createdAt) },
          ...(writable
            ? [
                rowActionsColumn<Account>([
                  {
                    label: 'Remove',
                    name: (member) => `Remove ${member.number} from this group`,
                    color: 'red',
                    onClick: setRemoving,
                  },
                ]),
              ]
            : []),
        ]}
      />
      {adding && <AddMemberDialog group={account.data} onClose={() => setAdding(false)} />}
      {removing && <RemoveMemberDialog group={account.data} member={removing} onClose={() => setRemoving(null)} />}
    </>
  );
}

/** Puts an existing customer account into this group (it leaves any group it was in). */
function AddMemberDialog({ group, onClose }: { group: Account; onClose: () => void }) {
  const [member, setMember] = useState<Account | null>(null);
  const [missing, setMissing] = useState(false);
  const add = useActionMutation('directory.updateAccount', {
    invalidates: accountChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`${saved.name} added to ${group.name}`);
      onClose();
    },
  });
  const otherGroup = member?.consolidatedAccountId && member.consolidatedAccountId !== group.id;
  return (
    <Modal opened onClose={onClose} title={`Add a member account to ${group.name}`} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!member) return setMissing(true);
          add.mutate({ accountId: member.id, consolidatedAccountId: group.id });
        }}
        noValidate
      >
        <Stack gap="sm">
          <AccountSelect
            kind="customer"
            label="Customer account"
            required
            data-autofocus
            value={member?.id ?? null}
            onChange={(chosen) => {
              setMember(chosen);
              setMissing(false);
            }}
            error={missing ? 'Choose the customer account to add' : undefined}
          />
          {otherGroup && (
            <Text size="sm" c="orange.9">
              This account belongs to another consolidated account; adding it here moves it.
            </Text>
          )}
          {member?.consolidatedAccountId === group.id && (
            <Text size="sm">{accountLabel(member)} is already a member.</Text>
          )}
          {add.error ? <ErrorNotice error={add.error} title="The account was not added" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              Add to group
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RemoveMemberDialog({ group, member, onClose }: { group: Account; member: Account; onClose: () => void }) {
  const remove = useActionMutation('directory.updateAccount', {
    invalidates: accountChangeInvalidates,
    onSuccess: (saved) => {
      notifySaved(`${saved.name} removed from ${group.name}`);
      onClose();
    },
  });
  return (
    <ConfirmDialog
      danger
      title={`Remove ${member.name} from ${group.name}?`}
      confirmLabel="Remove from group"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ accountId: member.id, consolidatedAccountId: null })}
      onClose={onClose}
    >
      {`${accountLabel(member)} stays as it is, without a consolidated account. Contacts of ${group.name} no longer see its items in the portal.`}
    </ConfirmDialog>
  );
}
