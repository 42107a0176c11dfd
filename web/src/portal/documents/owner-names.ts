import { useQuery } from '@tanstack/react-query';
import type { ActionResult, DocumentOwner } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';

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
 * Says where a document or request belongs, in the person's words: the API names each item's
 * owner ("Office fit-out (FIT-OUT)", "Plant Essen (ESS)", the account's name); an owner known
 * only by id (a project from a link) is named from the contact's projects, else by its kind.
 */
export function useOwnerNames(): {
  projects: PortalProject[];
  whereOf: (owner: DocumentOwner & { code?: string; name?: string }) => string;
} {
  const projects = useQuery(portalProjectsForNamesQuery()).data?.items ?? [];
  const whereOf = (owner: DocumentOwner & { code?: string; name?: string }) => {
    if (owner.name) return owner.kind === 'account' || !owner.code ? owner.name : `${owner.name} (${owner.code})`;
    const project = owner.kind === 'project' ? projects.find((candidate) => candidate.id === owner.id) : undefined;
    if (project) return projectLabel(project);
    return { account: 'Your account', site: 'Site', project: 'Project' }[owner.kind];
  };
  return { projects, whereOf };
}
