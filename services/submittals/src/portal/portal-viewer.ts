import type moleculer from 'moleculer';
import { call, callerOf } from '@portal/kit';

/** The contact a portal action acts for, and the projects whose items it sees. */
export interface PortalViewer {
  contactId: string;
  projectIds: string[];
}

/**
 * The contact comes from the gateway's principal (the verified token, never params); the projects
 * from the directory's half of the one visibility rule (`itemOwners.projectIds`: access enabled,
 * scope, hidden, completed, archived, consolidated accounts). A submittal is visible when its
 * project is among them; anything else answers 404 like a missing id.
 */
export async function portalViewerOf(ctx: moleculer.Context): Promise<PortalViewer> {
  const { actor } = callerOf(ctx);
  if (actor.kind !== 'contact') throw new Error(`a portal action was called by a ${actor.kind} actor`);
  const scope = await call(ctx, 'directory.resolveVisibleScope', { contactId: actor.contactId });
  return { contactId: actor.contactId, projectIds: scope.accessEnabled ? scope.itemOwners.projectIds : [] };
}

export const seesProject = (viewer: PortalViewer, projectId: string): boolean => viewer.projectIds.includes(projectId);
