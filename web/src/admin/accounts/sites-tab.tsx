import { Badge, Button, Group, Switch, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import type { Site } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { notifySaved } from '../../shared/feedback/notify.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { accountRoute } from './account-layout.tsx';
import { SiteDialog, siteChangeInvalidates } from './site-dialog.tsx';

const sitesSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  includeArchived: z.boolean().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type SitesSearch = z.infer<typeof sitesSearchSchema>;

/** `/accounts/$accountId/sites`: the account's sites. */
export const accountSitesRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: 'sites',
  validateSearch: sitesSearchSchema,
  component: SitesTab,
});

/** "Hamburg, DE": where a site is, as far as its address says. */
export function placeOf(site: Site): string {
  return [site.address.city, site.address.country].filter(Boolean).join(', ') || '—';
}

function SitesTab() {
  const { accountId } = accountRoute.useParams();
  const search = accountSitesRoute.useSearch();
  const navigate = accountSitesRoute.useNavigate();
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  const writable = useCan('directory:write') && account.data !== undefined && !account.data.archivedAt;
  const [dialog, setDialog] = useState<{ site?: Site } | null>(null);
  const [archiving, setArchiving] = useState<Site | null>(null);
  const [searchText, setSearchText] = useState(search.search ?? '');
  const applySearch = useDebouncedCallback((value: string) => {
    void navigate({
      search: (previous: SitesSearch) => ({ ...previous, search: value.trim() || undefined, cursor: undefined }),
    });
  }, 300);
  const sites = useQuery({
    ...actionQuery('directory.listSites', {
      accountId,
      search: search.search,
      includeArchived: search.includeArchived ?? false,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <Group gap="sm" align="flex-end" wrap="wrap" justify="space-between">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            label="Search sites"
            placeholder="Code or name"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={searchText}
            onChange={(event) => {
              setSearchText(event.currentTarget.value);
              applySearch(event.currentTarget.value);
            }}
            w={{ base: '100%', xs: 260 }}
          />
          <Switch
            label="Show archived"
            checked={search.includeArchived ?? false}
            onChange={(event) =>
              void navigate({
                search: (previous: SitesSearch) => ({
                  ...previous,
                  includeArchived: event.currentTarget.checked || undefined,
                  cursor: undefined,
                }),
              })
            }
          />
        </Group>
        {writable && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({})}>
            Add site
          </Button>
        )}
      </Group>
      <CursorTable<Site>
        label="Sites"
        page={sites.data}
        fetching={sites.isFetching}
        error={sites.error}
        onRetry={() => void sites.refetch()}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: SitesSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title={search.search ? 'No site matches' : 'No sites yet'}>
            {search.search
              ? 'Try another code or name, or clear the search.'
              : writable
                ? 'Add the places this customer works at with “Add site”; projects and site-level contacts can then belong to them.'
                : 'Sites appear here once staff with write access add them.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'code', title: 'Code' },
          {
            accessor: 'name',
            title: 'Name',
            render: (site) => (
              <Group gap={6} wrap="nowrap">
                {site.name}
                {site.archivedAt && (
                  <Badge size="xs" color="gray">
                    Archived
                  </Badge>
                )}
              </Group>
            ),
          },
          {
            accessor: 'address',
            title: 'City, country',
            render: placeOf,
          },
          ...(writable
            ? [
                {
                  accessor: 'actions',
                  title: <VisuallyHidden>Actions</VisuallyHidden>,
                  textAlign: 'right' as const,
                  render: (site: Site) =>
                    site.archivedAt ? null : (
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          aria-label={`Edit site ${site.code}`}
                          onClick={() => setDialog({ site })}
                        >
                          Edit
                        </Button>
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          aria-label={`Archive site ${site.code}`}
                          onClick={() => setArchiving(site)}
                        >
                          Archive
                        </Button>
                      </Group>
                    ),
                },
              ]
            : []),
        ]}
      />
      {dialog && <SiteDialog accountId={accountId} site={dialog.site} onClose={() => setDialog(null)} />}
      {archiving && <ArchiveSiteDialog site={archiving} onClose={() => setArchiving(null)} />}
    </>
  );
}

function ArchiveSiteDialog({ site, onClose }: { site: Site; onClose: () => void }) {
  const archive = useActionMutation('directory.archiveSite', {
    invalidates: [...siteChangeInvalidates, 'directory.listProjects'],
    onSuccess: (archived) => {
      notifySaved(`Site ${archived.code} archived`);
      onClose();
    },
  });
  return (
    <ConfirmDialog
      title={`Archive site ${site.code}?`}
      confirmLabel="Archive site"
      pending={archive.isPending}
      error={archive.error}
      onConfirm={() => archive.mutate({ siteId: site.id })}
      onClose={onClose}
    >
      {`“${site.name}” leaves the list of sites (unless “Show archived” is on) and is no longer visible in the portal. It stays readable with its history and cannot be changed any more.`}
    </ConfirmDialog>
  );
}
