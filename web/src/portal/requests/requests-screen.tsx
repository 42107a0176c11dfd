import { Button, Group, Stack, Tabs, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { z } from 'zod';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState, ErrorNotice, LoadingState } from '../../shared/feedback/states.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { signedInRoute, type SignedInSearch } from '../root-route.tsx';
import { RequestCard } from './request-card.tsx';

/** The two lists a contact works with; a cancelled request is no longer its business. */
const requestTabs = ['open', 'fulfilled'] as const;
type RequestTab = (typeof requestTabs)[number];

const requestsSearchSchema = z.object({
  status: z.enum(requestTabs).optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
export type RequestsSearch = z.infer<typeof requestsSearchSchema> & SignedInSearch;

/** `/requests`: what the supplier asks the contact to send, open or fulfilled (`?status=`). */
export const requestsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'requests',
  validateSearch: requestsSearchSchema,
  component: RequestsScreen,
});

const tabLabels: Record<RequestTab, string> = { open: 'Open', fulfilled: 'Fulfilled' };

function RequestsScreen() {
  const search: RequestsSearch = requestsRoute.useSearch();
  const navigate = requestsRoute.useNavigate();
  const status: RequestTab = search.status ?? 'open';
  const requests = useQuery({
    ...actionQuery('documents.listPortalDocumentRequests', {
      status,
      accountId: search.account,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });
  const setCursor = (cursor: string | undefined) =>
    void navigate({ search: (previous: RequestsSearch) => ({ ...previous, cursor }) });
  // A page kept from the other tab while the new one loads would show the wrong cards.
  const page = requests.isPlaceholderData ? undefined : requests.data;

  return (
    <Page title="Requests" description="Files your supplier has asked you to send.">
      <Tabs
        value={status}
        onChange={(next) =>
          void navigate({
            search: (previous: RequestsSearch) => ({
              ...previous,
              status: next === 'fulfilled' ? 'fulfilled' : undefined,
              cursor: undefined,
            }),
          })
        }
      >
        <Tabs.List aria-label="Requests by status">
          {requestTabs.map((tab) => (
            <Tabs.Tab key={tab} value={tab}>
              {tabLabels[tab]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {requestTabs.map((tab) => (
          <Tabs.Panel key={tab} value={tab} pt="md">
            {tab === status && (
              <Stack gap="sm">
                {requests.error && !page ? (
                  <ErrorNotice
                    error={requests.error}
                    title="The requests could not be loaded"
                    onRetry={() => void requests.refetch()}
                  />
                ) : !page ? (
                  <LoadingState label="Loading requests" />
                ) : page.items.length === 0 ? (
                  status === 'open' ? (
                    <EmptyState title="No open requests">
                      When your supplier asks you for a file (a certificate, a signed drawing), the request appears here
                      and you can upload the file right away.
                    </EmptyState>
                  ) : (
                    <EmptyState title="No fulfilled requests yet">
                      Requests you have answered with a file are listed here.
                    </EmptyState>
                  )
                ) : (
                  <>
                    {requests.error ? (
                      <ErrorNotice error={requests.error} onRetry={() => void requests.refetch()} />
                    ) : null}
                    {page.items.map((request) => (
                      <RequestCard key={request.id} request={request} />
                    ))}
                  </>
                )}
                <Group justify="space-between" wrap="nowrap">
                  <Text size="xs" c="dimmed" aria-live="polite">
                    {page ? `${page.items.length} shown${search.cursor ? ' (not the first page)' : ''}` : ''}
                  </Text>
                  <Group gap="xs">
                    <Button size="xs" variant="default" disabled={!search.cursor} onClick={() => setCursor(undefined)}>
                      First page
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      disabled={!page?.nextCursor}
                      onClick={() => setCursor(page?.nextCursor ?? undefined)}
                    >
                      Next page
                    </Button>
                  </Group>
                </Group>
              </Stack>
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Page>
  );
}
