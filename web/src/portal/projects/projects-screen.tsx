import { Anchor, Button } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, useRouter } from '@tanstack/react-router';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { z } from 'zod';
import type { ActionResult } from '@portal/contracts';
import { ApiError } from '../../shared/api/api-error.ts';
import { actionQuery } from '../../shared/api/queries.ts';
import { EmptyState } from '../../shared/feedback/states.tsx';
import { SearchField } from '../../shared/forms/search-field.tsx';
import { Page } from '../../shared/layout/page.tsx';
import { CursorTable } from '../../shared/tables/cursor-table.tsx';
import { portalProfileQuery } from '../accounts/portal-profile.ts';
import { signedInRoute, type SignedInSearch } from '../root-route.tsx';

type PortalProject = ActionResult<'directory.listPortalProjects'>['items'][number];

const projectsSearchSchema = z.object({
  search: z.string().optional().catch(undefined),
  cursor: z.string().optional().catch(undefined),
});
type ProjectsSearch = z.infer<typeof projectsSearchSchema> & SignedInSearch;

export const projectsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'projects',
  validateSearch: projectsSearchSchema,
  component: ProjectsScreen,
});

function ProjectsScreen() {
  const search: ProjectsSearch = projectsRoute.useSearch();
  const navigate = projectsRoute.useNavigate();
  // "Clear search" empties the box too: a new box, started from the (now empty) URL.
  const [searchBox, setSearchBox] = useState(0);
  const applySearch = (value: string | undefined) =>
    void navigate({ search: (previous: ProjectsSearch) => ({ ...previous, search: value, cursor: undefined }) });
  const clearSearch = () => {
    setSearchBox((box) => box + 1);
    applySearch(undefined);
  };
  const showAllAccounts = () =>
    void navigate({ search: (previous: ProjectsSearch) => ({ ...previous, account: undefined, cursor: undefined }) });

  const accounts = useQuery(portalProfileQuery()).data?.accounts ?? [];
  const chosenAccount = accounts.find((account) => account.id === search.account);
  const projects = useQuery({
    ...actionQuery('directory.listPortalProjects', {
      search: search.search,
      cursor: search.cursor,
      accountId: search.account,
      limit: 25,
    }),
    placeholderData: keepPreviousData,
  });
  // An account id from an old link that this contact no longer reaches: the API answers 404.
  const unknownAccount =
    search.account !== undefined && projects.error instanceof ApiError && projects.error.code === 'ACCOUNT_NOT_FOUND';

  // A project's documents: the documents screen narrowed to it (the account choice goes along).
  const router = useRouter();
  const documentsSearch = (projectId: string) => ({
    account: search.account,
    ownerKind: 'project' as const,
    ownerId: projectId,
  });
  const documentsHref = (projectId: string) =>
    router.buildLocation({ to: '/documents', search: () => documentsSearch(projectId) }).publicHref;
  const openDocuments = (projectId: string) =>
    void navigate({ to: '/documents', search: () => documentsSearch(projectId) });

  const columns: DataTableColumn<PortalProject>[] = [
    { accessor: 'code', title: 'Code' },
    { accessor: 'name', title: 'Project' },
    {
      accessor: 'documents',
      title: 'Documents',
      render: (project) => (
        <Anchor
          href={documentsHref(project.id)}
          onClick={(event) => {
            // A plain click stays in the app; a middle or modified click opens the link as usual.
            if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
            event.preventDefault();
            openDocuments(project.id);
          }}
          aria-label={`Documents of ${project.name}`}
          size="sm"
        >
          Documents
        </Anchor>
      ),
    },
  ];
  // Several accounts in view: say whose each project is.
  if (accounts.length > 1 && !search.account) {
    const names = new Map(accounts.map((account) => [account.id, account.name]));
    columns.push({ accessor: 'accountId', title: 'Account', render: (project) => names.get(project.accountId) ?? '—' });
  }

  return (
    <Page
      title="Projects"
      description={
        chosenAccount
          ? `The projects your supplier shares with you for ${chosenAccount.name}.`
          : 'The projects your supplier shares with you.'
      }
    >
      <SearchField key={searchBox} placeholder="Project name or code" value={search.search} onSearch={applySearch} />
      {unknownAccount ? (
        <EmptyState
          title="This account is not among yours"
          action={
            <Button variant="default" onClick={showAllAccounts}>
              Show all accounts
            </Button>
          }
        >
          The link names an account your login does not reach (any more). Choose one in the header, or see the projects
          of all your accounts.
        </EmptyState>
      ) : (
        <CursorTable
          label="Projects"
          query={projects}
          cursor={search.cursor}
          onCursorChange={(cursor) =>
            void navigate({ search: (previous: ProjectsSearch) => ({ ...previous, cursor }) })
          }
          empty={
            <ProjectsEmptyState
              searched={Boolean(search.search)}
              accountName={chosenAccount?.name}
              onClearSearch={clearSearch}
              onShowAllAccounts={showAllAccounts}
            />
          }
          columns={columns}
        />
      )}
    </Page>
  );
}

/** Nothing to list: says why (a search, one account chosen, nothing shared yet) and what to do next. */
function ProjectsEmptyState(props: {
  searched: boolean;
  accountName: string | undefined;
  onClearSearch: () => void;
  onShowAllAccounts: () => void;
}) {
  if (props.searched) {
    return (
      <EmptyState
        title="No project matches"
        action={
          <Button variant="default" onClick={props.onClearSearch}>
            Clear search
          </Button>
        }
      >
        Try another name or code{props.accountName ? `, or look in all accounts` : ''}.
      </EmptyState>
    );
  }
  if (props.accountName) {
    return (
      <EmptyState
        title={`No projects shared for ${props.accountName} yet`}
        action={
          <Button variant="default" onClick={props.onShowAllAccounts}>
            Show all accounts
          </Button>
        }
      >
        Your other accounts may have some. If you expected one here, ask your contact person at the supplier.
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No projects shared with you yet">
      When your supplier shares a project with you, it appears here. Ask your contact person at the supplier if you
      expected one.
    </EmptyState>
  );
}
