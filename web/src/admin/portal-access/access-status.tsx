import { Badge } from '@mantine/core';
import { accessStatuses, type AccessStatus } from '@portal/contracts';

/** The lifecycle's states in staff's words; `disabled` is what revoking leaves. */
export const accessStatusLabels: Record<AccessStatus, string> = {
  none: 'No access',
  invited: 'Invited',
  enabled: 'Enabled',
  disabled: 'Revoked',
};

const colours: Record<AccessStatus, string> = {
  none: 'gray',
  invited: 'blue',
  enabled: 'green',
  disabled: 'red',
};

/** The status filter's choices, in lifecycle order. */
export const accessStatusOptions = accessStatuses.map((status) => ({
  value: status,
  label: accessStatusLabels[status],
}));

export function AccessStatusBadge({ status, size = 'sm' }: { status: AccessStatus; size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge size={size} variant="light" color={colours[status]}>
      {accessStatusLabels[status]}
    </Badge>
  );
}
