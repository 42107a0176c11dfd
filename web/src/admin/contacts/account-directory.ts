import { queryOptions } from '@tanstack/react-query';
import type { Contact, Project, Site } from '@portal/contracts';
import { callAction } from '../../shared/api/action-client.ts';
import type { ApiError } from '../../shared/api/api-error.ts';

/** Pickers list every live site or project of an account; beyond this many they say the list is cut. */
export const pickerLimit = 1000;

interface AllOf<T> {
  items: T[];
  /** More exist than `pickerLimit`: the picker says so instead of silently hiding them. */
  truncated: boolean;
}

/** Every page of a keyset-paged action, up to `pickerLimit` items. */
export async function collect<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
) {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page(cursor);
    items.push(...answer.items);
    cursor = answer.nextCursor ?? undefined;
  } while (cursor && items.length < pickerLimit);
  return { items, truncated: Boolean(cursor) };
}

/**
 * Every live site of an account, for a site select or the scope editor. The key starts with the
 * action's name, so whatever invalidates `directory.listSites` refreshes it too.
 */
export const allSitesQuery = (accountId: string) =>
  queryOptions<AllOf<Site>, ApiError>({
    queryKey: ['directory.listSites', { accountId, all: true }],
    queryFn: ({ signal }) =>
      collect((cursor) => callAction('directory.listSites', { accountId, limit: 100, cursor }, signal)),
  });

/** Every live project of an account, for the scope editor. */
export const allProjectsQuery = (accountId: string) =>
  queryOptions<AllOf<Project>, ApiError>({
    queryKey: ['directory.listProjects', { accountId, all: true }],
    queryFn: ({ signal }) =>
      collect((cursor) => callAction('directory.listProjects', { accountId, limit: 100, cursor }, signal)),
  });

/** Every live contact of an account, for a contacts picker (documents shared with or requested from them). */
export const allContactsQuery = (accountId: string) =>
  queryOptions<AllOf<Contact>, ApiError>({
    queryKey: ['directory.listContacts', { accountId, all: true }],
    queryFn: ({ signal }) =>
      collect((cursor) => callAction('directory.listContacts', { accountId, limit: 100, cursor }, signal)),
  });

/** A contact's name as people read it. */
export const contactNameOf = (contact: { firstName: string; lastName: string }) =>
  `${contact.firstName} ${contact.lastName}`.trim();
