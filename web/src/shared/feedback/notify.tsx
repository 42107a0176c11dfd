import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ApiError } from '../api/api-error.ts';

/** Confirms a change the person made ("Site N-01 added", "Invitation sent to …"); short-lived. */
export function notifySaved(message: string): void {
  notifications.show({ color: 'green', message, autoClose: 4000 });
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
