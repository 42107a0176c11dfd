import { Anchor, Badge, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, createRoute } from '@tanstack/react-router';
import { actionQuery } from '../../shared/api/queries.ts';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { RouteTabs } from '../../shared/layout/route-tabs.tsx';
import { AccessStatusBadge } from '../portal-access/access-status.tsx';
import { adminRootRoute } from '../root-route.tsx';
import { contactNameOf } from './account-directory.ts';

/** `/contacts/$contactId/*`: the contact's header and tabs; each tab is a child route. */
export const contactRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'contacts/$contactId',
  component: ContactLayout,
});

/** The tabs, by the child path each one lives at ('' is the Details tab). */
const tabs = [
  { path: '', label: 'Details' },
  { path: 'access', label: 'Customer Portal Access' },
  { path: 'downloads', label: 'Downloads' },
  { path: 'audit', label: 'Audit trail' },
] as const;

function ContactLayout() {
  const { contactId } = contactRoute.useParams();
  const contact = useQuery(actionQuery('directory.getContact', { contactId }));
  const accountId = contact.data?.accountId;
  const account = useQuery({
    ...actionQuery('directory.getAccount', { accountId: accountId ?? '' }),
    enabled: Boolean(accountId),
  });
  const name = contact.data ? contactNameOf(contact.data) : '';
  useDocumentTitle(contact.data ? `${name} · Contacts` : 'Contact');
  if (contact.isPending) return <LoadingState label="Loading the contact" />;
  if (contact.error) return <ErrorNotice error={contact.error} onRetry={() => void contact.refetch()} />;
  return (
    <Stack gap="md" maw={1200}>
      <Breadcrumbs separatorMargin={6} style={{ flexWrap: 'wrap' }}>
        <Anchor component={Link} to="/accounts" size="sm">
          Accounts
        </Anchor>
        <Anchor component={Link} to={`/accounts/${contact.data.accountId}/contacts`} size="sm">
          {account.data?.name ?? 'Account'}
        </Anchor>
        <Text size="sm">{name}</Text>
      </Breadcrumbs>
      <Group gap="sm" align="center">
        <Title order={1} size="h2">
          {name}
        </Title>
        <AccessStatusBadge status={contact.data.access.status} size="md" />
        {contact.data.archivedAt && <Badge color="gray">Archived</Badge>}
      </Group>
      {(account.data || contact.data.title) && (
        <Text size="sm" c="dimmed">
          {[contact.data.title, account.data && `${account.data.name} (${account.data.number})`]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      )}
      <RouteTabs label="Contact sections" basePath={`/contacts/${contactId}`} tabs={tabs} />
      <Outlet />
    </Stack>
  );
}
