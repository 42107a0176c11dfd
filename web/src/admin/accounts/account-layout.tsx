import { Anchor, Badge, Breadcrumbs, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, createRoute, useRouterState } from '@tanstack/react-router';
import { actionQuery } from '../../shared/api/queries.ts';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
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
  { path: 'portal', label: 'Portal' },
  { path: 'members', label: 'Members', consolidatedOnly: true },
  { path: 'audit', label: 'Audit trail' },
] as const;

function AccountLayout() {
  const { accountId } = accountRoute.useParams();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  useDocumentTitle(account.data ? `${account.data.name} · Accounts` : 'Account');
  if (account.isPending) return <LoadingState label="Loading the account" />;
  if (account.error) return <ErrorNotice error={account.error} onRetry={() => void account.refetch()} />;
  const current =
    pathname.replace(/\/+$/, '').split(`/accounts/${accountId}`)[1]?.replace(/^\//, '').split('/')[0] ?? '';
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
      <Tabs value={current || 'details'} keepMounted={false}>
        <Tabs.List aria-label="Account sections" style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
          {visibleTabs.map((tab) => (
            <Tabs.Tab
              key={tab.path}
              value={tab.path || 'details'}
              renderRoot={(props) => (
                <Link
                  {...props}
                  to={tab.path ? `/accounts/$accountId/${tab.path}` : '/accounts/$accountId'}
                  params={{ accountId }}
                />
              )}
            >
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </Stack>
  );
}
