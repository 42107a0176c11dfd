import { useQuery } from '@tanstack/react-query';
import type { DocumentOwner } from '@portal/contracts';
import { actionQuery } from '../../shared/api/queries.ts';
import { allProjectsQuery, allSitesQuery } from '../contacts/account-directory.ts';

/** An owner as a select value, `<kind>:<id>`, and back. */
export const ownerValueOf = (owner: DocumentOwner): string => `${owner.kind}:${owner.id}`;
export function ownerOfValue(value: string | null | undefined): DocumentOwner | null {
  const [kind, id] = (value ?? '').split(':');
  if (!id || (kind !== 'account' && kind !== 'site' && kind !== 'project')) return null;
  return { kind, id };
}

/**
 * Where documents and requests of an account can belong: the account itself, its live sites and
 * projects, as grouped select options; and `whereOf` naming an owner the way tables show it
 * ("Account", a site or project code).
 */
export function useAccountOwners(accountId: string) {
  const sites = useQuery(allSitesQuery(accountId));
  const projects = useQuery(allProjectsQuery(accountId));
  const siteCodes = new Map((sites.data?.items ?? []).map((site) => [site.id, site]));
  const projectCodes = new Map((projects.data?.items ?? []).map((project) => [project.id, project]));
  const options = [
    {
      group: 'Account',
      items: [{ value: ownerValueOf({ kind: 'account', id: accountId }), label: 'The account itself' }],
    },
    {
      group: 'Sites',
      items: (sites.data?.items ?? []).map((site) => ({
        value: ownerValueOf({ kind: 'site', id: site.id }),
        label: `Site ${site.code} · ${site.name}`,
      })),
    },
    {
      group: 'Projects',
      items: (projects.data?.items ?? []).map((project) => ({
        value: ownerValueOf({ kind: 'project', id: project.id }),
        label: `Project ${project.code} · ${project.name}`,
      })),
    },
  ].filter((group) => group.items.length > 0);
  return {
    options,
    loading: sites.isPending || projects.isPending,
    error: sites.error ?? projects.error,
    /** A short name, or null for a site or project no longer live (archived): `OwnerName` fetches it. */
    whereOf: (owner: DocumentOwner): string | null => {
      if (owner.kind === 'account') return 'Account';
      if (owner.kind === 'site') return siteCodes.get(owner.id)?.code ?? null;
      return projectCodes.get(owner.id)?.code ?? null;
    },
  };
}

/** An owner's short name for a table cell; an archived site or project is fetched by id. */
export function OwnerName({ owner, known }: { owner: DocumentOwner; known: string | null }) {
  if (known !== null) return <>{known}</>;
  if (owner.kind === 'site') return <ArchivedSiteCode siteId={owner.id} />;
  if (owner.kind === 'project') return <ArchivedProjectCode projectId={owner.id} />;
  return <>Account</>;
}

function ArchivedSiteCode({ siteId }: { siteId: string }) {
  const site = useQuery(actionQuery('directory.getSite', { siteId }));
  return <>{site.data ? site.data.code : site.error ? 'Unknown site' : '…'}</>;
}

function ArchivedProjectCode({ projectId }: { projectId: string }) {
  const project = useQuery(actionQuery('directory.getProject', { projectId }));
  return <>{project.data ? project.data.code : project.error ? 'Unknown project' : '…'}</>;
}
