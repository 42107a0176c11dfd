import { Badge, Group } from '@mantine/core';
import type { ActionName, SubmittalPurpose, SubmittalStatus } from '@portal/contracts';

/** What a change to a submittal refreshes: the lists, the record, the queue. */
export const submittalChangeInvalidates: readonly ActionName[] = [
  'submittals.listSubmittals',
  'submittals.getSubmittal',
];

export const purposeWords: Record<SubmittalPurpose, string> = {
  'for-approval': 'For approval',
  'for-review': 'For review',
  'for-information': 'For information',
  'as-requested': 'As requested',
};

export const statusBadges: Record<SubmittalStatus, { label: string; color: string }> = {
  draft: { label: 'Draft', color: 'yellow' },
  sent: { label: 'Sent', color: 'blue' },
  returned: { label: 'Returned', color: 'green' },
  closed: { label: 'Closed', color: 'gray' },
  void: { label: 'Void', color: 'red' },
};

/** "T-0001 rev 1": a submittal's number as people quote it. */
export const submittalNumberOf = (submittal: { number: string; revision: number }) =>
  `${submittal.number} rev ${submittal.revision}`;

/** The status badge, and "Overdue" beside it when the expected return date has passed. */
export function SubmittalStatusBadges({ status, overdue }: { status: SubmittalStatus; overdue: boolean }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Badge size="sm" variant="light" color={statusBadges[status].color}>
        {statusBadges[status].label}
      </Badge>
      {overdue && (
        <Badge size="sm" variant="filled" color="red">
          Overdue
        </Badge>
      )}
    </Group>
  );
}
