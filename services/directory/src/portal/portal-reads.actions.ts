import type moleculer from 'moleculer';
import { callerOf, contractAction, sqlArray } from '@portal/kit';
import { directoryError } from '../errors.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import {
  findPortalPrincipal,
  findPortalProfileFacts,
  listPortalProjectPage,
  reachesAccount,
} from './portal-reads.queries.ts';

/**
 * The contact a portal action acts for: the gateway's principal from the verified token, in
 * `ctx.meta.actor`. Never an id from params. Any other caller is a wiring bug, not a client error.
 */
function signedInContactOf(ctx: moleculer.Context): string {
  const { actor } = callerOf(ctx);
  if (actor.kind !== 'contact') throw new Error(`a portal action was called by a ${actor.kind} actor`);
  return actor.contactId;
}

/** What the portal reads of the directory, each through the visibility functions. */
export function portalReadActions(store: DirectoryStore): Record<string, moleculer.ActionSchema> {
  return {
    listPortalProjects: contractAction('directory.listPortalProjects', async (args, ctx) => {
      const contactId = signedInContactOf(ctx);
      const em = store.read();
      // An account the contact does not reach answers exactly like one that does not exist.
      if (args.accountId !== undefined && !(await reachesAccount(em, contactId, args.accountId))) {
        throw directoryError('ACCOUNT_NOT_FOUND');
      }
      return listPortalProjectPage(em, contactId, args);
    }),

    describeOwners: contractAction('directory.describeOwners', async ({ accountIds, siteIds, projectIds }) =>
      store.read().execute<{ kind: 'account' | 'site' | 'project'; id: string; code: string; name: string }[]>(
        `select 'account' as kind, id, number as code, name from account where id = any(?::uuid[])
         union all select 'site', id, code, name from site where id = any(?::uuid[])
         union all select 'project', id, code, name from project where id = any(?::uuid[])`,
        [sqlArray(accountIds), sqlArray(siteIds), sqlArray(projectIds)],
      ),
    ),

    resolvePortalPrincipal: contractAction('directory.resolvePortalPrincipal', async ({ identityUserId }) => {
      const principal = await findPortalPrincipal(store.read(), identityUserId);
      if (!principal) throw directoryError('CONTACT_NOT_FOUND');
      return principal;
    }),

    getPortalProfileFacts: contractAction('directory.getPortalProfileFacts', async ({ contactId }) => {
      const facts = await findPortalProfileFacts(store.read(), contactId);
      if (!facts) throw directoryError('CONTACT_NOT_FOUND');
      return facts;
    }),
  };
}
