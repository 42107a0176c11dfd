import { Anchor, Badge, Button, Group, Stack, Switch } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, createRoute, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import type { Contact } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { accountRoute } from '../accounts/account-layout.tsx';
import { AccessStatusBadge } from '../portal-access/access-status.tsx';
import { allSitesQuery, contactNameOf } from './account-directory.ts';
import { CreateContactDialog } from './create-contact-dialog.tsx';

/** The tab's view in the URL: search, archived ones shown or not, and the page. */
const contactsSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  includeArchived: z.boolean().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type ContactsSearch = z.infer<typeof contactsSearchSchema>;

/** `/accounts/$accountId/contacts`: the account's contacts. */
export const accountContactsRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: 'contacts',
  validateSearch: contactsSearchSchema,
  component: AccountContactsTab,
});

function AccountContactsTab() {
  const { accountId } = accountContactsRoute.useParams();
  const search: ContactsSearch = accountContactsRoute.useSearch();
  const navigate = accountContactsRoute.useNavigate();
  /** A change of the list's filters: into the URL, back to the first page. */
  const setFilter = (change: Partial<ContactsSearch>) =>
    void navigate({ search: (previous: ContactsSearch) => ({ ...previous, ...change, cursor: undefined }) });
  const openContact = useNavigate();
  const canWrite = useCan('directory:write');
  const [creating, setCreating] = useState(false);

  const contacts = useQuery({
    ...actionQuery('directory.listContacts', {
      accountId,
      search: search.search,
      includeArchived: search.includeArchived ?? false,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });
  const sites = useQuery(allSitesQuery(accountId));
  const siteName = (siteId: string | null) => {
    if (!siteId) return 'Whole account';
    const site = sites.data?.items.find((candidate) => candidate.id === siteId);
    return site ? `${site.code} · ${site.name}` : '…';
  };
  const open = (contact: Contact) =>
    void openContact({ to: '/contacts/$contactId', params: { contactId: contact.id } });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <SearchField
            label="Search contacts"
            placeholder="Name or e-mail"
            value={search.search}
            onSearch={(value) => setFilter({ search: value })}
          />
          <Switch
            label="Show archived"
            checked={search.includeArchived ?? false}
            onChange={(event) => setFilter({ includeArchived: event.currentTarget.checked || undefined })}
          />
        </Group>
        {canWrite && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            New contact
          </Button>
        )}
      </Group>
      <CursorTable<Contact>
        label="Contacts"
        query={contacts}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: ContactsSearch) => ({ ...previous, cursor }) })}
        onRowClick={open}
        empty={
          <EmptyState title={search.search ? 'No contact matches' : 'No contacts yet'}>
            {search.search
              ? 'Try another name or e-mail, or clear the search.'
              : canWrite
                ? 'Add the first contact with “New contact”.'
                : 'Contacts appear here once staff with write access add them.'}
          </EmptyState>
        }
        columns={[
          {
            accessor: 'name',
            title: 'Name',
            render: (contact) => (
              <Group gap={6} wrap="nowrap">
                {/* A link as well as the row click: keyboards and screen readers reach the contact too. */}
                <Anchor
                  component={Link}
                  to={`/contacts/${contact.id}`}
                  onClick={(event: { stopPropagation: () => void }) => event.stopPropagation()}
                >
                  {contactNameOf(contact)}
                </Anchor>
                {contact.archivedAt && (
                  <Badge size="xs" color="gray">
                    Archived
                  </Badge>
                )}
              </Group>
            ),
          },
          { accessor: 'email', title: 'E-mail', render: (contact) => contact.email ?? '—' },
          { accessor: 'siteId', title: 'Site', render: (contact) => siteName(contact.siteId) },
          {
            accessor: 'access',
            title: 'Portal access',
            noWrap: true,
            render: (contact) => <AccessStatusBadge status={contact.access.status} />,
          },
        ]}
      />
      {creating && <CreateContactDialog accountId={accountId} onClose={() => setCreating(false)} onCreated={open} />}
    </Stack>
  );
}
