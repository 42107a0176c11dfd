import type { PortalIncomingSubmittal, PortalSubmittal, SubmittalPurpose } from '@portal/contracts';

export const purposeWords: Record<SubmittalPurpose, string> = {
  'for-approval': 'For approval',
  'for-review': 'For review',
  'for-information': 'For information',
  'as-requested': 'As requested',
};

export const portalStatusWords: Record<PortalSubmittal['status'], { label: string; color: string }> = {
  sent: { label: 'Awaiting your answer', color: 'blue' },
  returned: { label: 'Answered', color: 'green' },
  closed: { label: 'Closed', color: 'gray' },
};

export const incomingStatusWords: Record<PortalIncomingSubmittal['status'], { label: string; color: string }> = {
  unprocessed: { label: 'Received', color: 'blue' },
  processed: { label: 'Processed', color: 'green' },
};

/** "T-0001 rev 1" */
export const submittalNumberOf = (submittal: { number: string; revision: number }) =>
  `${submittal.number} rev ${submittal.revision}`;
