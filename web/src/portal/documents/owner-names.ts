import { useQuery } from '@tanstack/react-query';
import type { ActionResult, DocumentOwner } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { portalProfileQuery } from '../accounts/portal-profile.ts';

export type PortalProject = ActionResult<'directory.listPortalProjects'>['items'][number];

/**
 * The contact's projects for naming owners and for the project filter: the first 100 (the API's
 * page limit), which is every project for nearly every contact. A project beyond them is named
 * "Project" (its documents still list).
 */
export const portalProjectsForNamesQuery = () => ({
  ...actionQuery('directory.listPortalProjects', { limit: 100 }),
  staleTime: 60_000,
});

/** "Tower A (P-01)" */
export const projectLabel = (project: Pick<PortalProject, 'code' | 'name'>) => `${project.name} (${project.code})`;

/**
 * Says where a document or request belongs, in the person's words: the project's name and code,
 * "Site" for a site's (the portal API names no sites), the account's name for the account's own.
 */
export function useOwnerNames(): { projects: PortalProject[]; whereOf: (owner: DocumentOwner) => string } {
  const projects = useQuery(portalProjectsForNamesQuery()).data?.items ?? [];
  const accounts = useQuery(portalProfileQuery()).data?.accounts ?? [];
  const whereOf = (owner: DocumentOwner) => {
    switch (owner.kind) {
      case 'project': {
        const project = projects.find((candidate) => candidate.id === owner.id);
        return project ? projectLabel(project) : 'Project';
      }
      case 'site':
        return 'Site';
      case 'account':
        return accounts.find((account) => account.id === owner.id)?.name ?? 'Your account';
    }
  };
  return { projects, whereOf };
}
