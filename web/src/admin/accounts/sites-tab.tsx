import { Button, Group, Switch } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import type { Site } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { archivableNameColumn, rowActionsColumn } from '../../shared/tables/columns.tsx';
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
  /** A change of the list's filters: into the URL, back to the first page. */
  const setFilter = (change: Partial<SitesSearch>) =>
    void navigate({ search: (previous: SitesSearch) => ({ ...previous, ...change, cursor: undefined }) });
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  const writable = useCan('directory:write') && account.data !== undefined && !account.data.archivedAt;
  const [dialog, setDialog] = useState<{ site?: Site } | null>(null);
  const [archiving, setArchiving] = useState<Site | null>(null);
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
          <SearchField
            label="Search sites"
            placeholder="Code or name"
            value={search.search}
            onSearch={(value) => setFilter({ search: value })}
          />
          <Switch
            label="Show archived"
            checked={search.includeArchived ?? false}
            onChange={(event) => setFilter({ includeArchived: event.currentTarget.checked || undefined })}
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
        query={sites}
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
          archivableNameColumn<Site>(),
          {
            accessor: 'address',
            title: 'City, country',
            render: placeOf,
          },
          ...(writable
            ? [
                rowActionsColumn<Site>([
                  {
                    label: 'Edit',
                    name: (site) => `Edit site ${site.code}`,
                    onClick: (site) => setDialog({ site }),
                    when: (site) => !site.archivedAt,
                  },
                  {
                    label: 'Archive',
                    name: (site) => `Archive site ${site.code}`,
                    color: 'red',
                    onClick: setArchiving,
                    when: (site) => !site.archivedAt,
                  },
                ]),
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
      danger
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
