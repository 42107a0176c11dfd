import { Alert, Anchor, Button, Group, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconArchive, IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import type { Account } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { DetailField } from '../../shared/layout/detail-field.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { accountRoute } from './account-layout.tsx';
import { accountLabel } from './account-select.tsx';
import { EditAccountDialog, accountChangeInvalidates } from './edit-account-dialog.tsx';

/** `/accounts/$accountId`: the Details tab. */
export const accountDetailsRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: '/',
  component: AccountDetailsTab,
});

function AccountDetailsTab() {
  const { accountId } = accountRoute.useParams();
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  const canWrite = useCan('directory:write');
  const [editing, setEditing] = useState(false);
  const [archiving, setArchiving] = useState(false);
  if (account.isPending) return <LoadingState label="Loading the account" />;
  if (account.error) return <ErrorNotice error={account.error} onRetry={() => void account.refetch()} />;
  const current = account.data;
  const writable = canWrite && !current.archivedAt;
  return (
    <Stack gap="md">
      {current.archivedAt && (
        <Alert color="gray" title="Archived account">
          Archived {formatDateTime(current.archivedAt)}. It stays readable with its history, but can no longer be
          changed, and nothing of it is visible in the portal.
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
                  onClick={() => setEditing(true)}
                >
                  Edit
                </Button>
                <Button
                  variant="default"
                  color="red"
                  leftSection={<IconArchive size={16} aria-hidden />}
                  onClick={() => setArchiving(true)}
                >
                  Archive
                </Button>
              </Group>
            )}
          </Group>
          <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm" m={0}>
            <DetailField label="Account number">{current.number}</DetailField>
            <DetailField label="Name">{current.name}</DetailField>
            <DetailField label="Kind">
              {current.kind === 'consolidated' ? 'Consolidated (groups customers)' : 'Customer'}
            </DetailField>
            {current.kind === 'customer' && (
              <DetailField label="Consolidated account">
                <ConsolidatedAccountLink accountId={current.consolidatedAccountId} />
              </DetailField>
            )}
            <DetailField label="Created">{formatDateTime(current.createdAt)}</DetailField>
            <DetailField label="Last changed">{formatDateTime(current.updatedAt)}</DetailField>
          </SimpleGrid>
        </Stack>
      </Paper>
      <AccountClassPanel account={current} />
      {editing && <EditAccountDialog account={current} onClose={() => setEditing(false)} />}
      {archiving && <ArchiveAccountDialog account={current} onClose={() => setArchiving(false)} />}
    </Stack>
  );
}

function ConsolidatedAccountLink({ accountId }: { accountId: string | null }) {
  const group = useQuery({
    ...actionQuery('directory.getAccount', { accountId: accountId ?? '' }),
    enabled: !!accountId,
  });
  if (!accountId) return <>None</>;
  if (group.isPending) return <>Loading…</>;
  if (group.error) return <>{group.error.message}</>;
  return (
    <Anchor component={Link} to={`/accounts/${accountId}`}>
      {accountLabel(group.data)}
    </Anchor>
  );
}

/** The class decides the account's portal settings; changing it needs `settings:write`. */
function AccountClassPanel({ account }: { account: Account }) {
  const canSetClass = useCan('settings:write') && !account.archivedAt;
  const classes = useQuery(actionQuery('directory.listAccountClasses', { limit: 100 }));
  const setClass = useActionMutation('directory.setAccountClass', {
    invalidates: accountChangeInvalidates,
    onSuccess: (saved) => notifySaved(saved.classId ? 'Account class set' : 'Account class removed'),
  });
  const assigned = useQuery({
    ...actionQuery('directory.getAccountClass', { accountClassId: account.classId ?? '' }),
    enabled: !!account.classId,
  });
  const current = account.classId ? assigned.data : undefined;
  // The assigned class is offered even beyond the first page of classes.
  const options = new Map((classes.data?.items ?? []).map((accountClass) => [accountClass.id, accountClass.name]));
  if (current) options.set(current.id, current.name);
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Account class
        </Title>
        <Text size="sm" c="dimmed">
          The class decides the account’s portal settings: invitations sent on new contacts, self-registration with an
          invoice, and whether contacts must use MFA.
        </Text>
        {classes.error ? (
          <ErrorNotice error={classes.error} onRetry={() => void classes.refetch()} />
        ) : canSetClass ? (
          <Select
            label="Account class"
            placeholder={classes.isPending ? 'Loading classes…' : 'No class'}
            data={[...options].map(([value, label]) => ({ value, label }))}
            value={account.classId}
            onChange={(classId) => {
              setClass.reset();
              setClass.mutate({ accountId: account.id, classId });
            }}
            clearable
            searchable
            disabled={setClass.isPending}
            nothingFoundMessage="No class by that name. Create classes under Account classes."
            maw={360}
          />
        ) : (
          <Text size="sm">
            {account.classId ? (current?.name ?? (assigned.error ? assigned.error.message : 'Loading…')) : 'No class'}
          </Text>
        )}
        {current && (
          <Text size="sm">
            {[
              current.autoSendInvite ? 'Invites new contacts' : 'No automatic invites',
              current.allowSelfRegistration ? 'Self-registration allowed' : 'No self-registration',
              current.requireMfa ? 'MFA required' : 'MFA optional',
            ].join(' · ')}
          </Text>
        )}
        {setClass.error ? <ErrorNotice error={setClass.error} title="The class was not changed" /> : null}
      </Stack>
    </Paper>
  );
}

function ArchiveAccountDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const archive = useActionMutation('directory.archiveAccount', {
    invalidates: accountChangeInvalidates,
    onSuccess: (archived) => {
      notifySaved(`Account ${archived.number} archived`);
      onClose();
    },
  });
  return (
    <ConfirmDialog
      danger
      title={`Archive ${account.name}?`}
      confirmLabel="Archive account"
      pending={archive.isPending}
      error={archive.error}
      onConfirm={() => archive.mutate({ accountId: account.id })}
      onClose={onClose}
    >
      <Stack gap="xs">
        <Text size="sm">Archiving never erases anything. The account:</Text>
        <Text component="ul" size="sm" m={0} pl="md">
          <li>stays readable here, with its sites, projects and audit trail, but can no longer be changed;</li>
          <li>leaves the account lists unless “Show archived” is on;</li>
          <li>is no longer visible in the portal, nor is anything of it.</li>
        </Text>
        <Text size="sm">There is no way to undo this from these screens.</Text>
      </Stack>
    </ConfirmDialog>
  );
}
