import type moleculer from 'moleculer';
import { documentOwnerKinds, type DocumentOwnerKind } from '@portal/contracts';
import { call, callerOf, SqlConditions, sqlArray } from '@portal/kit';

/** The owners whose items a contact sees, from the directory's half of the one visibility rule. */
export interface ItemOwners {
  accountIds: string[];
  siteIds: string[];
  projectIds: string[];
}

export interface PortalViewer {
  contactId: string;
  /** The accounts the contact reaches (its own, and the members of a consolidated one). */
  accountIds: string[];
  owners: ItemOwners;
}

/**
 * The contact a portal action acts for (the gateway's principal from the verified token, never an
 * id from params) and the owners it may see, asked of the directory, which holds the rule's SQL
 * for accounts, sites and projects (hidden, completed, archived, scope, consolidated accounts).
 */
export async function portalViewerOf(ctx: moleculer.Context): Promise<PortalViewer> {
  const { actor } = callerOf(ctx);
  if (actor.kind !== 'contact') throw new Error(`a portal action was called by a ${actor.kind} actor`);
  const scope = await call(ctx, 'directory.resolveVisibleScope', { contactId: actor.contactId });
  const none = { accountIds: [], siteIds: [], projectIds: [] };
  if (!scope.accessEnabled) return { contactId: actor.contactId, accountIds: [], owners: none };
  return { contactId: actor.contactId, accountIds: scope.accountIds, owners: scope.itemOwners };
}

/** Whether the contact sees the items of this owner (of this kind, when given). */
export function seesItemsOf(viewer: PortalViewer, ownerId: string, kind?: DocumentOwnerKind): boolean {
  const byKind = { account: viewer.owners.accountIds, site: viewer.owners.siteIds, project: viewer.owners.projectIds };
  const kinds = kind ? [kind] : documentOwnerKinds;
  return kinds.some((k) => byKind[k].includes(ownerId));
}

/**
 * The documents' half of the rule, as conditions over `d` (document) and `ft` (its file type):
 * a live document with a clean current version, whose owner is visible, and whose sharing allows
 * it — "by file type" when the type is customer-visible, "only these contacts" when the contact is
 * named, never "internal". Every portal read of documents goes through here.
 */
export function visibleDocumentConditions(viewer: PortalViewer): SqlConditions {
  const { accountIds, siteIds, projectIds } = viewer.owners;
  return (
    new SqlConditions()
      .add('d.archived_at is null')
      .add('d.current_version_id is not null')
      .add("d.sharing <> 'internal'")
      // One array over all owners lets the planner use the owner index; the kind check keeps ids honest.
      .add('d.owner_id = any(?::uuid[])', sqlArray([...accountIds, ...siteIds, ...projectIds]))
      .add(
        `(d.owner_kind = 'project' and d.owner_id = any(?::uuid[]))
         or (d.owner_kind = 'site' and d.owner_id = any(?::uuid[]))
         or (d.owner_kind = 'account' and d.owner_id = any(?::uuid[]))`,
        sqlArray(projectIds),
        sqlArray(siteIds),
        sqlArray(accountIds),
      )
      .add(
        `(d.sharing = 'by-file-type' and ft.customer_visible)
         or (d.sharing = 'contacts'
             and exists (select 1 from document_share s where s.document_id = d.id and s.contact_id = ?))`,
        viewer.contactId,
      )
  );
}

/** A document request reaches a contact it names, while its owner is visible to that contact. */
export function visibleRequestConditions(viewer: PortalViewer): SqlConditions {
  const { accountIds, siteIds, projectIds } = viewer.owners;
  return new SqlConditions()
    .add(
      'exists (select 1 from document_request_contact rc where rc.request_id = r.id and rc.contact_id = ?)',
      viewer.contactId,
    )
    .add(
      `(r.owner_kind = 'project' and r.owner_id = any(?::uuid[]))
       or (r.owner_kind = 'site' and r.owner_id = any(?::uuid[]))
       or (r.owner_kind = 'account' and r.owner_id = any(?::uuid[]))`,
      sqlArray(projectIds),
      sqlArray(siteIds),
      sqlArray(accountIds),
    );
}
