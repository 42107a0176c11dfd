import { Button, Group, Select, Stack, Switch, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import type { Project } from '@portal/contracts';
import { actionQuery, useActionMutation } from '../../shared/api/queries.ts';
import { ConfirmDialog } from '../../shared/feedback/confirm-dialog.tsx';
import { notifySaved } from '../../shared/feedback/notify.tsx';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { ChoiceFilter } from '../../shared/forms/choice-filter.tsx';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { useCan } from '../../shared/session/permissions.ts';
import { archivableNameColumn, rowActionsColumn } from '../../shared/tables/columns.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { accountRoute } from './account-layout.tsx';
import { ProjectDialog, projectChangeInvalidates, projectFlagHelp, useSiteOptions } from './project-dialog.tsx';

/** The filters `listProjects` takes, all in the URL. */
const projectsSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  siteId: z.uuid().optional().catch(undefined),
  hidden: z.boolean().optional().catch(undefined),
  completed: z.boolean().optional().catch(undefined),
  includeArchived: z.boolean().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type ProjectsSearch = z.infer<typeof projectsSearchSchema>;

/** `/accounts/$accountId/projects`: the account's projects. */
export const accountProjectsRoute = createRoute({
  getParentRoute: () => accountRoute,
  path: 'projects',
  validateSearch: projectsSearchSchema,
  component: ProjectsTab,
});

type Flag = 'hidden' | 'completed';

function ProjectsTab() {
  const { accountId } = accountRoute.useParams();
  const search = accountProjectsRoute.useSearch();
  const navigate = accountProjectsRoute.useNavigate();
  const account = useQuery(actionQuery('directory.getAccount', { accountId }));
  const writable = useCan('directory:write') && account.data !== undefined && !account.data.archivedAt;
  const sites = useSiteOptions(accountId, search.siteId);
  const [dialog, setDialog] = useState<{ project?: Project } | null>(null);
  const [archiving, setArchiving] = useState<Project | null>(null);
  const setFilter = (change: Partial<ProjectsSearch>) =>
    void navigate({ search: (previous: ProjectsSearch) => ({ ...previous, ...change, cursor: undefined }) });
  const projects = useQuery({
    ...actionQuery('directory.listProjects', {
      accountId,
      search: search.search,
      siteId: search.siteId,
      hidden: search.hidden,
      completed: search.completed,
      includeArchived: search.includeArchived ?? false,
      cursor: search.cursor,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });
  const siteLabel = (siteId: string | null) =>
    siteId ? (sites.options.find((option) => option.value === siteId)?.label ?? <SiteCode siteId={siteId} />) : '—';
  const filtered = search.search || search.siteId || search.hidden !== undefined || search.completed !== undefined;

  return (
    <>
      <Group gap="sm" align="flex-end" wrap="wrap" justify="space-between">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <SearchField
            label="Search projects"
            placeholder="Code or name"
            value={search.search}
            onSearch={(value) => setFilter({ search: value })}
          />
          <Select
            label="Site"
            placeholder="All sites"
            data={sites.options}
            value={search.siteId ?? null}
            onChange={(siteId) => setFilter({ siteId: siteId ?? undefined })}
            clearable
            searchable
            nothingFoundMessage="No site matches"
            w={{ base: '100%', xs: 220 }}
          />
          <ChoiceFilter<FlagChoice>
            label="Hidden"
            value={choiceOf(search.hidden)}
            options={[
              { value: 'any', label: 'Any' },
              { value: 'yes', label: 'Hidden' },
              { value: 'no', label: 'Not hidden' },
            ]}
            onChange={(choice) => setFilter({ hidden: flagOf(choice) })}
          />
          <ChoiceFilter<FlagChoice>
            label="Completed"
            value={choiceOf(search.completed)}
            options={[
              { value: 'any', label: 'Any' },
              { value: 'yes', label: 'Completed' },
              { value: 'no', label: 'Open' },
            ]}
            onChange={(choice) => setFilter({ completed: flagOf(choice) })}
          />
          <Switch
            label="Show archived"
            checked={search.includeArchived ?? false}
            onChange={(event) => setFilter({ includeArchived: event.currentTarget.checked || undefined })}
          />
        </Group>
        {writable && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({})}>
            Add project
          </Button>
        )}
      </Group>
      <CursorTable<Project>
        label="Projects"
        query={projects}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: ProjectsSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title={filtered ? 'No project matches' : 'No projects yet'}>
            {filtered
              ? 'Change or clear the filters to see more projects.'
              : writable
                ? 'Add this customer’s projects with “Add project”; contacts then see them in the portal, as their access allows.'
                : 'Projects appear here once staff with write access add them.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'code', title: 'Code' },
          archivableNameColumn<Project>(),
          { accessor: 'siteId', title: 'Site', render: (project) => siteLabel(project.siteId) },
          {
            accessor: 'hidden',
            title: 'Hidden',
            render: (project) => <FlagCell project={project} flag="hidden" writable={writable} />,
          },
          {
            accessor: 'completed',
            title: 'Completed',
            render: (project) => <FlagCell project={project} flag="completed" writable={writable} />,
          },
          ...(writable
            ? [
                rowActionsColumn<Project>([
                  {
                    label: 'Edit',
                    name: (project) => `Edit project ${project.code}`,
                    onClick: (project) => setDialog({ project }),
                    when: (project) => !project.archivedAt,
                  },
                  {
                    label: 'Archive',
                    name: (project) => `Archive project ${project.code}`,
                    color: 'red',
                    onClick: setArchiving,
                    when: (project) => !project.archivedAt,
                  },
                ]),
              ]
            : []),
        ]}
      />
      <Text size="xs" c="dimmed">
        {projectFlagHelp.hidden} {projectFlagHelp.completed}
      </Text>
      {dialog && <ProjectDialog accountId={accountId} project={dialog.project} onClose={() => setDialog(null)} />}
      {archiving && <ArchiveProjectDialog project={archiving} onClose={() => setArchiving(null)} />}
    </>
  );
}

type FlagChoice = 'any' | 'yes' | 'no';
/** A flag filter's choice from the URL ("any" leaves the filter out of it), and back. */
const choiceOf = (flag: boolean | undefined): FlagChoice => (flag === undefined ? 'any' : flag ? 'yes' : 'no');
const flagOf = (choice: FlagChoice): boolean | undefined => (choice === 'any' ? undefined : choice === 'yes');

const flagNotice: Record<Flag, [on: string, off: string]> = {
  hidden: ['hidden from the portal', 'no longer hidden'],
  completed: ['marked completed', 'reopened'],
};

/** A project's flag: a switch staff flip in place, or plain Yes/No for readers and archived projects. */
function FlagCell({ project, flag, writable }: { project: Project; flag: Flag; writable: boolean }) {
  const update = useActionMutation('directory.updateProject', {
    invalidates: projectChangeInvalidates,
    onSuccess: (saved) => notifySaved(`Project ${saved.code} ${flagNotice[flag][saved[flag] ? 0 : 1]}`),
  });
  if (!writable || project.archivedAt) return project[flag] ? 'Yes' : 'No';
  const checked = update.isPending ? Boolean(update.variables[flag]) : project[flag];
  return (
    <Stack gap={2}>
      <Switch
        aria-label={`${flag === 'hidden' ? 'Hidden' : 'Completed'}: ${project.code}`}
        checked={checked}
        disabled={update.isPending}
        onChange={(event) => {
          update.reset();
          update.mutate({ projectId: project.id, [flag]: event.currentTarget.checked });
        }}
      />
      {update.error && (
        <Text size="xs" c="red" role="alert">
          {update.error.message}
        </Text>
      )}
    </Stack>
  );
}

/** A site no longer among the live ones (archived): its code, fetched by id. */
function SiteCode({ siteId }: { siteId: string }) {
  const site = useQuery(actionQuery('directory.getSite', { siteId }));
  return <>{site.data ? `${site.data.code} · ${site.data.name}` : '…'}</>;
}

function ArchiveProjectDialog({ project, onClose }: { project: Project; onClose: () => void }) {
  const archive = useActionMutation('directory.archiveProject', {
    invalidates: projectChangeInvalidates,
    onSuccess: (archived) => {
      notifySaved(`Project ${archived.code} archived`);
      onClose();
    },
  });
  return (
    <ConfirmDialog
      danger
      title={`Archive project ${project.code}?`}
      confirmLabel="Archive project"
      pending={archive.isPending}
      error={archive.error}
      onConfirm={() => archive.mutate({ projectId: project.id })}
      onClose={onClose}
    >
      {`“${project.name}” leaves the list of projects (unless “Show archived” is on) and is no longer visible in the portal. It stays readable with its history and cannot be changed any more. To only take it out of the portal for now, mark it hidden instead.`}
    </ConfirmDialog>
  );
}
