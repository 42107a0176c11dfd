import { TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { portalRootRoute } from '../root-route.tsx';

const projectsSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type ProjectsSearch = z.infer<typeof projectsSearchSchema>;

export const projectsRoute = createRoute({
  getParentRoute: () => portalRootRoute,
  path: 'projects',
  validateSearch: projectsSearchSchema,
  component: ProjectsScreen,
});

function ProjectsScreen() {
  const search = projectsRoute.useSearch();
  const navigate = projectsRoute.useNavigate();
  const [searchText, setSearchText] = useState(search.search ?? '');
  const applySearch = useDebouncedCallback((value: string) => {
    void navigate({
      search: (previous: ProjectsSearch) => ({ ...previous, search: value.trim() || undefined, cursor: undefined }),
    });
  }, 300);
  const projects = useQuery({
    ...actionQuery('directory.listPortalProjects', { search: search.search, cursor: search.cursor, limit: 25 }),
    placeholderData: keepPreviousData,
  });
  return (
    <Page title="Projects" description="The projects your supplier shares with you.">
      <TextInput
        label="Search"
        placeholder="Project name or code"
        leftSection={<IconSearch size={16} aria-hidden />}
        value={searchText}
        onChange={(event) => {
          setSearchText(event.currentTarget.value);
          applySearch(event.currentTarget.value);
        }}
        w={{ base: '100%', xs: 320 }}
      />
      <CursorTable
        label="Projects"
        page={projects.data}
        fetching={projects.isFetching}
        error={projects.error}
        onRetry={() => void projects.refetch()}
        cursor={search.cursor}
        onCursorChange={(cursor) => void navigate({ search: (previous: ProjectsSearch) => ({ ...previous, cursor }) })}
        empty={
          <EmptyState title={search.search ? 'No project matches' : 'No projects shared with you yet'}>
            {search.search
              ? 'Try another name or code, or clear the search.'
              : 'When your supplier shares a project with you, it appears here. Ask your contact person at the supplier if you expected one.'}
          </EmptyState>
        }
        columns={[
          { accessor: 'code', title: 'Code' },
          { accessor: 'name', title: 'Project' },
        ]}
      />
    </Page>
  );
}
