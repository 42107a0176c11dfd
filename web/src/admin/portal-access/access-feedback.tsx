import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ApiError } from '../../shared/api/api-error.ts';

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

/** Asks before a change with consequences and shows a refusal in place: the shared confirm dialog. */
export { ConfirmDialog as ConfirmChangeDialog } from '../../shared/feedback/confirm-dialog.tsx';
