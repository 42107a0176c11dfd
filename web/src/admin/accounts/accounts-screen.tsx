import { Button, Group, SegmentedControl, Select, Switch } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import { accountKindSchema, type Account } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { formatDateTime } from '../../shared/format/dates.ts';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { archivableNameColumn } from '../../shared/tables/columns.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { adminRootRoute } from '../root-route.tsx';
import { CreateAccountDialog } from './create-account-dialog.tsx';

/** The list's view, all in the URL: a link reproduces search, filters and page. */
const accountsSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  kind: accountKindSchema.optional().catch(undefined),
  classId: z.uuid().optional().catch(undefined),
  includeArchived: z.boolean().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});

type AccountsSearch = z.infer<typeof accountsSearchSchema>;

export const accountsRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'accounts',
  validateSearch: accountsSearchSchema,
  component: AccountsScreen,
});

function AccountsScreen() {
  const search = accountsRoute.useSearch();
  const navigate = accountsRoute.useNavigate();
  /** A change of the list's filters: into the URL, back to the first page. */
  const setFilter = (change: Partial<AccountsSearch>) =>
    void navigate({ search: (previous: AccountsSearch) => ({ ...previous, ...change, cursor: undefined }) });
  const openAccount = useNavigate();
  const canWrite = useCan('directory:write');
  const [creating, setCreating] = useState(false);

  const accounts = useQuery({
    ...actionQuery('directory.listAccounts', {
      search: search.search,
      kind: search.kind,
      classId: search.classId,
      includeArchived: search.includeArchived ?? false,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });
  const classes = useQuery(actionQuery('directory.listAccountClasses', { limit: 100 }));
  const className = new Map((classes.data?.items ?? []).map((accountClass) => [accountClass.id, accountClass.name]));

  return (
    <Page
      title="Accounts"
      description="Customers, and consolidated accounts that group them."
      actions={
        canWrite && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            New account
          </Button>
        )
      }
    >
      <Group gap="sm" align="flex-end" wrap="wrap">
        <SearchField
          label="Search"
          placeholder="Name or number"
          value={search.search}
          onSearch={(value) => setFilter({ search: value })}
        />
        <SegmentedControl
          aria-label="Kind"
          value={search.kind ?? 'all'}
          onChange={(value) => setFilter({ kind: value === 'all' ? undefined : (value as Account['kind']) })}
          data={[
            { value: 'all', label: 'All' },
            { value: 'customer', label: 'Customers' },
            { value: 'consolidated', label: 'Consolidated' },
          ]}
        />
        <Select
          label="Class"
          placeholder="All classes"
          data={[...className].map(([value, label]) => ({ value, label }))}
          value={search.classId ?? null}
          onChange={(classId) => setFilter({ classId: classId ?? undefined })}
          clearable
          searchable
          nothingFoundMessage="No class by that name"
          w={{ base: '100%', xs: 200 }}
        />
        <Switch
          label="Show archived"
          checked={search.includeArchived ?? false}
          onChange={(event) => setFilter({ includeArchived: event.currentTarget.checked || undefined })}
        />
      </Group>
      <CursorTable<Account>
        label="Accounts"
        query={accounts}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: AccountsSearch) => ({ ...previous, cursor }) })}
        onRowClick={(account) => void openAccount({ to: '/accounts/$accountId', params: { accountId: account.id } })}
        empty={
          <EmptyState title={search.search || search.classId ? 'No account matches' : 'No accounts yet'}>
            {search.search || search.classId
              ? 'Try another name or number, or clear the search and filters.'
              : canWrite
                ? 'Create the first account with “New account”, or import contacts from a CSV file.'
                : 'Accounts appear here once staff with write access create them.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'number', title: 'Number' },
          archivableNameColumn<Account>(),
          {
            accessor: 'kind',
            title: 'Kind',
            render: (account) => (account.kind === 'consolidated' ? 'Consolidated' : 'Customer'),
          },
          {
            accessor: 'classId',
            title: 'Class',
            render: (account) => (account.classId ? (className.get(account.classId) ?? '…') : '—'),
          },
          { accessor: 'createdAt', title: 'Created', render: (account) => formatDateTime(account.createdAt) },
        ]}
      />
      {creating && (
        <CreateAccountDialog
          onClose={() => setCreating(false)}
          onCreated={(account) => void openAccount({ to: '/accounts/$accountId', params: { accountId: account.id } })}
        />
      )}
    </Page>
  );
}
