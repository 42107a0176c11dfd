import { Anchor, Group, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { accessStatusSchema, type AccessStatus, type ActionResult } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { ChoiceFilter } from '../../shared/forms/choice-filter.tsx';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { accountRoute } from '../accounts/account-layout.tsx';
import { AccessActionButtons, useAccessOperations } from './access-operations.tsx';
import { AccessStatusBadge, accessStatusLabels, accessStatusOptions } from './access-status.tsx';

type PortalTabRow = ActionResult<'directory.listPortalAccess'>['items'][number];

/** The tab's view in the URL: search, status filter and page. */
const portalSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  status: accessStatusSchema.optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type PortalSearch = z.infer<typeof portalSearchSchema>;

/** `/accounts/$accountId/portal`: who of the account may use the portal, with the access actions per contact. */
export const accountPortalRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: 'portal',
  validateSearch: portalSearchSchema,
  component: AccountPortalTab,
});

function AccountPortalTab() {
  const { accountId } = accountPortalRoute.useParams();
  const search: PortalSearch = accountPortalRoute.useSearch();
  const navigate = accountPortalRoute.useNavigate();
  const canAct = useCan('access:write');
  const operations = useAccessOperations();
  const rows = useQuery({
    ...actionQuery('directory.listPortalAccess', {
      accountId,
      search: search.search,
      status: search.status,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(search.search || search.status);

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Who of this account may sign in to the customer portal. Open a contact for its scope, MFA and what it sees.
      </Text>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <SearchField
          placeholder="Name or e-mail"
          value={search.search}
          onSearch={(value) =>
            void navigate({ search: (previous: PortalSearch) => ({ ...previous, search: value, cursor: undefined }) })
          }
        />
        <ChoiceFilter<AccessStatus | 'all'>
          label="Status"
          value={search.status ?? 'all'}
          onChange={(value) =>
            void navigate({
              search: (previous: PortalSearch) => ({
                ...previous,
                status: value === 'all' ? undefined : value,
                cursor: undefined,
              }),
            })
          }
          options={[{ value: 'all', label: 'All' }, ...accessStatusOptions]}
        />
      </Group>
      <CursorTable<PortalTabRow>
        label="Portal access"
        idAccessor="contactId"
        query={rows}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: PortalSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title={filtered ? 'No contact matches' : 'No contacts yet'}>
            {filtered
              ? `No contact${search.status ? ` with status “${accessStatusLabels[search.status]}”` : ''}${search.search ? ' matches the search' : ''}. Change the filter or clear the search.`
              : 'Add contacts on the Contacts tab; they appear here with their portal access.'}
          </EmptyState>
        }
        columns={[
          {
            accessor: 'name',
            title: 'Name',
            render: (row) => (
              <Anchor component={Link} to={`/contacts/${row.contactId}/access`}>
                {row.name}
              </Anchor>
            ),
          },
          { accessor: 'email', title: 'E-mail', render: (row) => row.email ?? '—' },
          {
            accessor: 'status',
            title: 'Status',
            noWrap: true,
            render: (row) => <AccessStatusBadge status={row.status} />,
          },
          {
            accessor: 'scope',
            title: 'Sees',
            render: (row) => (row.scope === 'all' ? 'Whole account' : 'Chosen sites and projects'),
          },
          ...(canAct
            ? [
                {
                  accessor: 'actions',
                  title: 'Actions',
                  render: (row: PortalTabRow) => (
                    <AccessActionButtons
                      inRow
                      operations={operations}
                      subject={{ contactId: row.contactId, name: row.name, email: row.email, status: row.status }}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      {operations.dialogs}
    </Stack>
  );
}
