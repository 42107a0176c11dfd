import type { AccessStatus } from '@portal/contracts';

/**
 * The portal access lifecycle of a contact. `none → enabled` is "enable with a generated
 * password"; `invited → invited` is a resend; `invited → none` withdraws an invite; a revoked
 * contact may be re-enabled or invited again.
 */
const allowedTransitions: Readonly<Record<AccessStatus, readonly AccessStatus[]>> = {
  none: ['invited', 'enabled'],
  invited: ['invited', 'enabled', 'disabled', 'none'],
  enabled: ['disabled'],
  disabled: ['enabled', 'invited'],
};

export function canMoveAccess(from: AccessStatus, to: AccessStatus): boolean {
  return allowedTransitions[from].includes(to);
}

/** Which lifecycle timestamp a move stamps with the transaction's time. */
export function timestampStampedBy(to: AccessStatus): 'invited_at' | 'enabled_at' | 'disabled_at' | null {
  switch (to) {
    case 'invited':
      return 'invited_at';
    case 'enabled':
      return 'enabled_at';
    case 'disabled':
      return 'disabled_at';
    case 'none':
      return null;
  }
}
