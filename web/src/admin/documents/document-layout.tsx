import { Anchor, Badge, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, createRoute } from '@tanstack/react-router';
import { actionQuery } from '../../shared/api/queries.ts';
import { ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { RouteTabs } from '../../shared/layout/route-tabs.tsx';
import { adminRootRoute } from '../root-route.tsx';
import { awaitsScan, scanPollMs } from './version-parts.tsx';

/** `/documents/$documentId/*`: a document's header and tabs (its details and versions, its downloads). */
export const documentRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: 'documents/$documentId',
  component: DocumentLayout,
});

const tabs = [
  { path: '', label: 'Versions' },
  { path: 'downloads', label: 'Downloads' },
] as const;

/** The document, polled while a version waits for its scan; every tab reads it from here. */
export const useDocument = (documentId: string) =>
  useQuery({
    ...actionQuery('documents.getDocument', { documentId }),
    refetchInterval: (query) => (query.state.data && awaitsScan(query.state.data) ? scanPollMs : false),
  });

function DocumentLayout() {
  const { documentId } = documentRoute.useParams();
  const document = useDocument(documentId);
  const accountId = document.data?.accountId;
  const account = useQuery({
    ...actionQuery('directory.getAccount', { accountId: accountId ?? '' }),
    enabled: Boolean(accountId),
  });
  useDocumentTitle(document.data ? `${document.data.title} · Documents` : 'Document');
  if (document.isPending) return <LoadingState label="Loading the document" />;
  if (document.error) return <ErrorNotice error={document.error} onRetry={() => void document.refetch()} />;
  return (
    <Stack gap="md" maw={1200}>
      <Breadcrumbs separatorMargin={6} style={{ flexWrap: 'wrap' }}>
        <Anchor component={Link} to="/accounts" size="sm">
          Accounts
        </Anchor>
        <Anchor component={Link} to={`/accounts/${document.data.accountId}/documents`} size="sm">
          {account.data ? `${account.data.name}: documents` : 'Account documents'}
        </Anchor>
        <Text size="sm">{document.data.title}</Text>
      </Breadcrumbs>
      <Group gap="sm" align="center">
        <Title order={1} size="h2">
          {document.data.title}
        </Title>
        {document.data.archivedAt && <Badge color="gray">Archived</Badge>}
      </Group>
      <RouteTabs label="Document sections" basePath={`/documents/${documentId}`} tabs={tabs} />
      <Outlet />
    </Stack>
  );
}
