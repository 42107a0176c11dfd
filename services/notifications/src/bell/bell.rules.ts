import type {
  ActionResult,
  DocumentOwner,
  EventData,
  NotificationType,
  StaffRole,
  SubmittalPurpose,
} from '@portal/contracts';

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

// ---- submittals ------------------------------------------------------------------------------

/**
 * Where the bell sends staff about customers' submittals: the queue of projects with unprocessed
 * incoming submittals. The one place this path is written (the staff screens own the route).
 */
export const staffIncomingSubmittalsLink = '/admin/incoming-submittals';

export const portalSubmittalLink = (submittalId: string) => `/portal/submittals/${submittalId}`;
export const staffSubmittalLink = (submittalId: string) => `/admin/submittals/${submittalId}`;

const purposeText: Record<SubmittalPurpose, string> = {
  'for-approval': 'For approval',
  'for-review': 'For review',
  'for-information': 'For information',
  'as-requested': 'As requested',
};

/** `T-0001`, or `T-0001 rev 2` from the first revision on. */
export function submittalNumberText(number: string, revision: number): string {
  return revision > 0 ? `${number} rev ${revision}` : number;
}

/** To the contacts who see the project, whether or not the submittal asked for e-mail. */
export function submittalSentNotice(data: EventData<'submittals.submittal.sent'>): Notice {
  const due = data.dueDate ? ` Due ${data.dueDate}.` : '';
  return {
    type: 'submittal.sent',
    title: `New submittal ${submittalNumberText(data.number, data.revision)}: ${data.title}`,
    body: `${purposeText[data.purpose]}.${due}`,
    link: portalSubmittalLink(data.submittalId),
  };
}

export function submittalReturnedNotice(data: EventData<'submittals.submittal.returned'>): Notice {
  return {
    type: 'submittal.returned',
    title: `A customer returned ${submittalNumberText(data.number, data.revision)} (${data.label})`,
    body: data.title,
    link: staffSubmittalLink(data.submittalId),
  };
}

export function submittalReceivedNotice(data: EventData<'submittals.submittal.received'>): Notice {
  return {
    type: 'submittal.received',
    title: 'New submittal from a customer',
    body: `Transmittal ${data.transmittalNumber}, ${data.fileCount} ${data.fileCount === 1 ? 'file' : 'files'}.`,
    link: staffIncomingSubmittalsLink,
  };
}

export function submittalOverdueNotice(data: EventData<'submittals.submittal.overdue'>): Notice {
  return {
    type: 'submittal.overdue',
    title: `Submittal ${submittalNumberText(data.number, data.revision)} is overdue`,
    body: `${data.title}: expected back ${data.expectedReturnDate}.`,
    link: staffSubmittalLink(data.submittalId),
  };
}
