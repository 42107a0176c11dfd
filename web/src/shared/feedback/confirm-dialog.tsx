import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorNotice } from './states.tsx';

/**
 * Asks before a consequential write (archive, delete, revoke, reset) and says what it does. Unlike a
 * fire-and-forget confirm, it stays open while the write runs and shows its failure in place
 * (a 409 such as "still in use" is read where the person asked for it).
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger = false,
  pending,
  error,
  onConfirm,
  onClose,
  extraActions,
}: {
  title: string;
  /** What the action does, in the person's terms. */
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
  /** Another way to confirm (e.g. "E-mail a reset link" beside "Generate a password"). */
  extraActions?: ReactNode;
}) {
  return (
    <Modal opened onClose={onClose} title={title} centered>
      <Stack gap="sm">
        {typeof children === 'string' ? <Text size="sm">{children}</Text> : children}
        {error ? <ErrorNotice error={error} title={`${confirmLabel} did not work`} /> : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          {extraActions}
          <Button color={danger ? 'red' : undefined} loading={pending} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
