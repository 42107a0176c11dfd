import type { ActionResult, DocumentOwner, EventData, NotificationType, StaffRole } from '@portal/contracts';

/** What a notification says and where it leads, before it has a recipient. */
export interface Notice {
  type: NotificationType;
  title: string;
  body: string | null;
  link: string;
}

export type VisibleScope = ActionResult<'directory.resolveVisibleScope'>;

/** The staff roles told when a customer acts (answers a request, asks for access). */
export const staffBellRoles: readonly StaffRole[] = ['portal-admin', 'portal-manager'];

const ownerListOf = { account: 'accountIds', site: 'siteIds', project: 'projectIds' } as const;

/**
 * Whether a contact sees items (documents, requests) of this owner: its access is enabled and the
 * owner is among its scope's item owners, by the directory's one visibility rule. A contact is
 * never told about something outside its scope.
 */
export function contactSeesOwner(scope: VisibleScope | null, owner: DocumentOwner): boolean {
  if (!scope?.accessEnabled) return false;
  return scope.itemOwners[ownerListOf[owner.kind]].includes(owner.id);
}

const dueText = (dueDate: string | null) => (dueDate ? `Due ${dueDate}.` : null);

export function documentRequestCreatedNotice(data: EventData<'documents.request.created'>): Notice {
  return {
    type: 'document-request.created',
    title: `New request: ${data.title}`,
    body: dueText(data.dueDate),
    link: '/portal/requests',
  };
}

export function documentRequestFulfilledNotice(data: EventData<'documents.request.fulfilled'>): Notice {
  return {
    type: 'document-request.fulfilled',
    title: 'A customer answered a document request',
    body: null,
    link: `/admin/accounts/${data.accountId}/document-requests`,
  };
}

export function accessRequestReceivedNotice(data: EventData<'identity.access-request.received'>): Notice {
  return {
    type: 'access-request.received',
    title: `Access request from ${data.company}`,
    body: null,
    link: '/admin/access-requests',
  };
}
