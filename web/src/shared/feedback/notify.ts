import { notifications } from '@mantine/notifications';

/** Confirms a save the person made ("Site N-01 added"); short-lived, announced politely. */
export function notifySaved(message: string): void {
  notifications.show({ color: 'green', message, autoClose: 4000 });
}
