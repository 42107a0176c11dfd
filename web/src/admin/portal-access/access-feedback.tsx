import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { ApiError } from '../../shared/api/api-error.ts';
import { ErrorNotice } from '../../shared/feedback/states.tsx';

/** Confirms an access change the person made ("Invitation sent to …"). */
export function notifyDone(message: string): void {
  notifications.show({ color: 'green', message, autoClose: 5000 });
}

/** A failed change that has no dialog to show it in: the API's message, code and request id. */
export function notifyFailed(title: string, error: unknown): void {
  const apiError = error instanceof ApiError ? error : null;
  notifications.show({
    color: 'red',
    title,
    autoClose: false,
    message: (
      <>
        {error instanceof Error ? error.message : 'The request failed.'}
        {apiError && (
          <Text size="xs" c="dimmed" component="span" display="block">
            {apiError.code}
            {apiError.requestId ? ` · request id ${apiError.requestId}` : ''}
          </Text>
        )}
      </>
    ),
  });
}

/**
 * Asks before a change with consequences (revoke, cancel an invitation, reset, archive) and says
 * what it does; it stays open while the call runs and shows a refusal in place.
 */
export function ConfirmChangeDialog({
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
