import { Anchor, Badge, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, createRoute } from '@tanstack/react-router';
import { actionQuery } from '../../shared/api/queries.ts';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { RouteTabs } from '../../shared/layout/route-tabs.tsx';
import { adminRootRoute } from '../root-route.tsx';

/** `/accounts/$accountId/*`: the account's header and tabs; each tab is a child route of its area. */
export const accountRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'accounts/$accountId',
  component: AccountLayout,
});

/** The tabs, by the child path each one lives at ('' is the Details tab). */
const tabs = [
  { path: '', label: 'Details' },
  { path: 'sites', label: 'Sites' },
  { path: 'projects', label: 'Projects' },
  { path: 'contacts', label: 'Contacts' },
  { path: 'documents', label: 'Documents' },
  { path: 'document-requests', label: 'Document requests' },
  { path: 'submittals', label: 'Submittals' },
  { path: 'portal', label: 'Portal' },
  { path: 'members', label: 'Members', consolidatedOnly: true },
  { path: 'audit', label: 'Audit trail' },
] as const;

function AccountLayout() {
  const { accountId } = accountRoute.useParams();
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  useDocumentTitle(account.data ? `${account.data.name} · Accounts` : 'Account');
  if (account.isPending) return <LoadingState label="Loading the account" />;
  if (account.error) return <ErrorNotice error={account.error} onRetry={() => void account.refetch()} />;
  const visibleTabs = tabs.filter((tab) => !('consolidatedOnly' in tab) || account.data.kind === 'consolidated');
  return (
    <Stack gap="md" maw={1200}>
      <Breadcrumbs>
        <Anchor component={Link} to="/accounts" size="sm">
          Accounts
        </Anchor>
        <Text size="sm">{account.data.number}</Text>
      </Breadcrumbs>
      <Group gap="sm" align="center">
        <Title order={1} size="h2">
          {account.data.name}
        </Title>
        <Badge variant="light">{account.data.kind === 'consolidated' ? 'Consolidated' : 'Customer'}</Badge>
        {account.data.archivedAt && <Badge color="gray">Archived</Badge>}
      </Group>
      <RouteTabs label="Account sections" basePath={`/accounts/${accountId}`} tabs={visibleTabs} />
      <Outlet />
    </Stack>
  );
}
