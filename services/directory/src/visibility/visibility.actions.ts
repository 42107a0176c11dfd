import type moleculer from 'moleculer';
import { contractAction, type ServiceOrm } from '@portal/kit';
import { contactNotFound } from '../contacts/contacts.actions.ts';
import { directoryStoreOf } from '../persistence/directory-store.ts';
import {
  contactExists,
  contactIdsSeeingProject,
  findVisibleScope,
  listVisibleProjectPage,
} from './visibility.queries.ts';

/**
 * The read paths of the visibility rule: staff's "what would this contact see", other services'
 * scope of a contact, and the contacts who see a project (whom the bell tells).
 */
export function visibilityActions(deps: { orm: ServiceOrm }): Record<string, moleculer.ActionSchema> {
  const store = directoryStoreOf(deps.orm);
  return {
    listVisibleProjects: contractAction('directory.listVisibleProjects', async (params) => {
      const em = store.read();
      if (!(await contactExists(em, params.contactId))) throw contactNotFound();
      return listVisibleProjectPage(em, params);
    }),
    resolveVisibleScope: contractAction('directory.resolveVisibleScope', async (params) => {
      const scope = await findVisibleScope(store.read(), params.contactId);
      if (!scope) throw contactNotFound();
      return scope;
    }),
    listContactsSeeingProject: contractAction('directory.listContactsSeeingProject', async (params) => ({
      contactIds: await contactIdsSeeingProject(store.read(), params.projectId),
    })),
  };
}
