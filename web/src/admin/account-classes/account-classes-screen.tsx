import { Anchor, Badge, Button, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import type { AccountClass } from '@portal/contracts';
import { ApiError } from '../../shared/api/api-error.ts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { rowActionsColumn } from '../../shared/tables/columns.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { adminRootRoute } from '../root-route.tsx';
import { AccountClassDialog, accountClassChangeInvalidates, accountClassSettings } from './account-class-dialog.tsx';

const accountClassesSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type AccountClassesSearch = z.infer<typeof accountClassesSearchSchema>;

/** `/account-classes`: bundles of portal settings that accounts are given. */
export const accountClassesRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'account-classes',
  validateSearch: accountClassesSearchSchema,
  component: AccountClassesScreen,
});

function AccountClassesScreen() {
  const search = accountClassesRoute.useSearch();
  const navigate = accountClassesRoute.useNavigate();
  const canWrite = useCan('settings:write');
  const [dialog, setDialog] = useState<{ accountClass?: AccountClass } | null>(null);
  const [deleting, setDeleting] = useState<AccountClass | null>(null);
  const classes = useQuery({
    ...actionQuery('directory.listAccountClasses', { search: search.search, cursor: search.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });

  return (
    <Page
      title="Account classes"
      description="Bundles of portal settings: give an account a class on its Details tab, and it follows the class’s settings."
      actions={
        canWrite && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({})}>
            New account class
          </Button>
        )
      }
    >
      <SearchField
        label="Search"
        placeholder="Class name"
        value={search.search}
        onSearch={(value) =>
          void navigate({
            search: (previous: AccountClassesSearch) => ({ ...previous, search: value, cursor: undefined }),
          })
        }
      />
      <CursorTable<AccountClass>
        label="Account classes"
        query={classes}
        cursor={search.cursor}
        onCursorChange={(cursor) =>
          void navigate({ search: (previous: AccountClassesSearch) => ({ ...previous, cursor }) })
        }
        empty={
          <EmptyState title={search.search ? 'No class matches' : 'No account classes yet'}>
            {search.search
              ? 'Try another name, or clear the search.'
              : canWrite
                ? 'Create a class with “New account class” to decide invitations, self-registration and MFA for groups of accounts.'
                : 'Classes appear here once an administrator creates them.'}
          </EmptyState>
        }
        columns={[
          {
            accessor: 'name',
            title: 'Name',
            render: (accountClass) => (
              <Stack gap={0}>
                <Text size="sm" fw={500}>
                  {accountClass.name}
                </Text>
                {accountClass.description && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {accountClass.description}
                  </Text>
                )}
              </Stack>
            ),
          },
          {
            accessor: 'settings',
            title: 'Settings',
            render: (accountClass) => {
              const on = accountClassSettings.filter((setting) => accountClass[setting.key]);
              return on.length === 0 ? (
                <Text size="sm" c="dimmed">
                  None
                </Text>
              ) : (
                <Group gap={4}>
                  {on.map((setting) => (
                    <Badge key={setting.key} variant="light" size="sm">
                      {setting.label}
                    </Badge>
                  ))}
                </Group>
              );
            },
          },
          {
            accessor: 'accounts',
            title: 'Accounts',
            render: (accountClass) => (
              <Anchor
                size="sm"
                renderRoot={(props) => <Link {...props} to="/accounts" search={{ classId: accountClass.id }} />}
              >
                <VisuallyHidden>{accountClass.name}: </VisuallyHidden>
                Show accounts
              </Anchor>
            ),
          },
          {
            accessor: 'updatedAt',
            title: 'Last changed',
            render: (accountClass) => formatDateTime(accountClass.updatedAt),
          },
          ...(canWrite
            ? [
                rowActionsColumn<AccountClass>([
                  {
                    label: 'Edit',
                    name: (accountClass) => `Edit account class ${accountClass.name}`,
                    onClick: (accountClass) => setDialog({ accountClass }),
                  },
                  {
                    label: 'Delete',
                    name: (accountClass) => `Delete account class ${accountClass.name}`,
                    color: 'red',
                    onClick: setDeleting,
                  },
                ]),
              ]
            : []),
        ]}
      />
      {dialog && <AccountClassDialog accountClass={dialog.accountClass} onClose={() => setDialog(null)} />}
      {deleting && <DeleteAccountClassDialog accountClass={deleting} onClose={() => setDeleting(null)} />}
    </Page>
  );
}

function DeleteAccountClassDialog({ accountClass, onClose }: { accountClass: AccountClass; onClose: () => void }) {
  const remove = useActionMutation('directory.deleteAccountClass', {
    invalidates: accountClassChangeInvalidates,
    onSuccess: () => {
      notifySaved(`Account class ${accountClass.name} deleted`);
      onClose();
    },
  });
  const inUse = remove.error instanceof ApiError && remove.error.code === 'ACCOUNT_CLASS_IN_USE';
  return (
    <ConfirmDialog
      danger
      title={`Delete account class ${accountClass.name}?`}
      confirmLabel="Delete class"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ accountClassId: accountClass.id })}
      onClose={onClose}
    >
      <Stack gap="xs">
        <Text size="sm">
          Only a class that no account uses can be deleted; it is removed for good (classes hold settings, not history).
        </Text>
        {inUse && (
          <Text size="sm">
            Give{' '}
            <Anchor
              renderRoot={(props) => (
                <Link {...props} to="/accounts" search={{ classId: accountClass.id, includeArchived: true }} />
              )}
            >
              the accounts of this class
            </Anchor>{' '}
            another class, or none, on their Details tab first. Archived accounts cannot be changed, so a class an
            archived account has stays in use.
          </Text>
        )}
      </Stack>
    </ConfirmDialog>
  );
}
