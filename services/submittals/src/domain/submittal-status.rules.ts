import type { SubmittalStatus } from '@portal/contracts';

/**
 * What may happen to an outgoing submittal in each status, as one table: `draft` → `sent` →
 * `returned` → `closed`, and `void` from anything not yet closed. A next revision starts from a
 * returned one (and closes it).
 */
export const submittalOperations = {
  update: ['draft'],
  send: ['draft'],
  respond: ['sent'],
  close: ['sent', 'returned'],
  void: ['draft', 'sent', 'returned'],
  revise: ['returned'],
} as const satisfies Record<string, readonly SubmittalStatus[]>;
export type SubmittalOperation = keyof typeof submittalOperations;

export function allows(operation: SubmittalOperation, status: SubmittalStatus): boolean {
  return (submittalOperations[operation] as readonly SubmittalStatus[]).includes(status);
}

/** The transmittal number of the n-th submittal of a project: the prefix and at least four digits. */
export function transmittalNumber(prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(4, '0')}`;
}
